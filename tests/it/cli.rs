//! The `mig` binary end to end for the commands that need no connection: project
//! creation, graph printing, exit codes and error texts (temp paths redacted).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta::assert_snapshot;

/// Runs `mig` in a directory; output with the directory replaced by `[DIR]`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mig(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_mig"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("MIG_CONFIG")
        .env_remove("ALEMBIC_CONFIG")
        .output()
        .expect("run mig");
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&dir.display().to_string(), "[DIR]");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn new_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("proj");
    let r = mig(tmp.path(), &["init", "proj"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (tmp, dir)
}

#[test]
fn init_writes_a_project_that_loads() {
    let (_tmp, dir) = new_project();
    for f in [
        "alembic.ini",
        "versions",
        "runbook",
        "templates/revision.sql.tmpl",
    ] {
        assert!(dir.join(f).exists(), "{f} missing");
    }
    let r = mig(&dir, &["heads"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let again = mig(dir.parent().unwrap(), &["init", "proj"]);
    assert_eq!(again.code, 2);
    assert_snapshot!(again.stderr, @"FAILED: `proj/alembic.ini` already exists; not overwriting an existing project");
}

#[test]
fn revisions_branches_and_merges() {
    let (_tmp, dir) = new_project();
    let ok = |args: &[&str]| {
        let r = mig(&dir, args);
        assert_eq!(r.code, 0, "mig {args:?}: {}", r.stderr);
        r.stdout
    };
    let made = ok(&["revision", "-m", "Create users table!", "--rev-id", "aaa"]);
    assert_snapshot!(made, @"Generating [DIR]/versions/aaa_create_users_table.sql ...  done");
    ok(&["revision", "-m", "two", "--rev-id", "bbb"]);
    ok(&[
        "revision",
        "-m",
        "side",
        "--rev-id",
        "ccc",
        "--head",
        "aaa",
        "--splice",
        "--branch-label",
        "side",
    ]);
    // Two heads now: a plain `revision` must be told where to go.
    let r = mig(&dir, &["revision", "-m", "x"]);
    assert_eq!(r.code, 2);
    assert_snapshot!(r.stderr, @"FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.");
    let r = mig(&dir, &["revision", "-m", "x", "--head", "aaa"]);
    assert_snapshot!(r.stderr, @"FAILED: Revision aaa is not a head revision; please specify --splice to create a new branch from this revision");
    ok(&["merge", "-m", "join", "--rev-id", "mmm", "heads"]);
    assert_snapshot!(ok(&["heads"]), @"mmm (side) (head)");
    assert_snapshot!(ok(&["history"]), @r"
    bbb, ccc -> mmm (side) (head) (mergepoint), join
    aaa -> bbb, two
    aaa -> ccc (side), side
    <base> -> aaa (branchpoint), Create users table!
    ");
    assert_snapshot!(ok(&["branches"]), @r"
    aaa (branchpoint)
        -> bbb
        -> ccc (side)
    ");
    // The written file parses back: its header is what `show` prints.
    assert_snapshot!(ok(&["show", "ccc"]).lines().take(4).collect::<Vec<_>>().join("\n"), @r"
    Rev: ccc
    Parent: aaa
    Branch names: side
    Path: [DIR]/versions/ccc_side.sql
    ");
}

#[test]
fn json_format() {
    let r = mig(&repo(), &["heads", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v[0]["revision"], "251018_schema_v1_inbox");
    assert_eq!(v[0]["is_head"], true);
    let r = mig(&repo(), &["history", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(3));
}

#[test]
fn missing_config_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = mig(tmp.path(), &["heads"]);
    assert_eq!(r.code, 2);
    assert_snapshot!(r.stderr, @"FAILED: No config file 'alembic.ini' found, or file has no '[alembic]' section");
}

fn project_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    std::fs::write(
        tmp.path().join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\
         sqlalchemy.url = %(DATABASE_URL)s\n\n[mig]\ndialect = postgresql\n",
    )
    .expect("ini");
    for (name, text) in files {
        std::fs::write(tmp.path().join("versions").join(name), text).expect("write");
    }
    tmp
}

fn rev(id: &str, down: &str, body: &str) -> String {
    format!("-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {down}\n\n-- migrate:upgrade\n{body}\n\n-- migrate:downgrade\n")
}

#[test]
fn bad_revision_files_are_refused_with_file_and_line() {
    let dup = project_with(&[
        ("a.sql", &rev("a", "", "SELECT 1;")),
        ("b.sql", &rev("a", "", "SELECT 2;")),
    ]);
    let r = mig(dup.path(), &["heads"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a.sql") && r.stderr.contains("b.sql"),
        "{}",
        r.stderr
    );

    let parent = project_with(&[("a.sql", &rev("a", "nope", "SELECT 1;"))]);
    let r = mig(parent.path(), &["heads"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("nope") && r.stderr.contains("a.sql"),
        "{}",
        r.stderr
    );

    let quote = project_with(&[("a.sql", &rev("a", "", "SELECT 'open;"))]);
    let r = mig(quote.path(), &["upgrade", "head", "--sql"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.sql:7"), "{}", r.stderr);

    let long = project_with(&[("a.sql", &rev(&"x".repeat(33), "", "SELECT 1;"))]);
    let r = mig(long.path(), &["heads"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("32"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn unresolved_url_only_matters_to_commands_that_connect() {
    // The demo's sqlalchemy.url is %(DATABASE_URL)s and DATABASE_URL is unset here.
    let r = mig(&repo(), &["upgrade", "head", "--sql"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("CREATE SCHEMA IF NOT EXISTS zero_admin;\n\nSET search_path TO zero_admin, public;\n\nBEGIN;\n"));
}

#[test]
fn demo_offline_sql_applies_cleanly_with_psql() {
    let db = crate::support::pg_db("demo_psql");
    let sql = mig(&repo(), &["upgrade", "head", "--sql"]);
    assert_eq!(sql.code, 0, "{}", sql.stderr);
    let psql = |input: &str, extra: &[&str]| {
        use std::io::Write;
        let mut child = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"])
            .args(extra)
            .arg(db.url())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("psql on PATH");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("psql");
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    psql(&sql.stdout, &[]);
    let tables = psql(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'zero_admin'",
        &[],
    );
    assert_snapshot!(tables.trim(), @"alembic_version,chunks,dead_letters,event_outbox,inbox_items,parsed_items,processed_events");
    let version = psql("SELECT version_num FROM zero_admin.alembic_version", &[]);
    assert_eq!(version.trim(), "251018_schema_v1_inbox");
}

/// A working directory that no longer exists is named as what it is (it was reported as
/// a failure to write `.`), and is a configuration problem: exit 2.
#[test]
fn removed_working_directory_is_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gone = tmp.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    // The shell enters the directory, removes it, then becomes mig: mig starts in a
    // working directory that no longer exists.
    let out = Command::new("sh")
        .arg("-c")
        .arg("cd \"$1\" && rmdir \"$1\" && exec \"$2\" heads")
        .arg("sh")
        .arg(&gone)
        .arg(env!("CARGO_BIN_EXE_mig"))
        .env_remove("MIG_CONFIG")
        .env_remove("ALEMBIC_CONFIG")
        .output()
        .expect("run mig");
    assert_eq!(out.status.code(), Some(2));
    assert_snapshot!(
        String::from_utf8_lossy(&out.stderr).trim(),
        @"FAILED: cannot read the working directory: No such file or directory (os error 2)"
    );
}

/// `--in-place` needs `--yes`: one rule, the same refusal from `mig roundtrip`, `mig
/// roundtrip --runbook` and `mig runbook` (the runbook's was clap's `required arguments`
/// text), before anything runs.
#[test]
fn in_place_needs_yes_is_one_rule() {
    let (_tmp, dir) = new_project();
    for args in [
        &["roundtrip", "--in-place"][..],
        &["roundtrip", "--runbook", "--in-place"],
        &["runbook", "--in-place"],
    ] {
        let r = mig(&dir, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.trim(),
            "FAILED: `--in-place` runs upgrades and downgrades on the configured database \
             itself; add `--yes` to confirm",
            "{args:?}"
        );
    }
}
