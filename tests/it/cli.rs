//! The `mig` binary end to end for the commands that need no connection: project
//! creation, graph printing, exit codes and error texts (temp paths redacted).

use insta::assert_snapshot;

use crate::support::project::{ini_with_url_from_env, init_project, project_with_ini, revision};
use crate::support::{psql, repo, Mig};

#[test]
fn init_writes_a_project_that_loads() {
    let (_tmp, dir) = init_project();
    for f in [
        "alembic.ini",
        "versions",
        "runbook",
        "templates/revision.sql.tmpl",
    ] {
        assert!(dir.join(f).exists(), "{f} missing");
    }
    let r = Mig::new(&dir).args(["heads"]).run().redacted();
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let again = Mig::new(dir.parent().unwrap())
        .args(["init", "proj"])
        .run()
        .redacted();
    assert_eq!(again.code, 2);
    assert_snapshot!(again.stderr, @"FAILED: `proj/alembic.ini` already exists; not overwriting an existing project");
}

#[test]
fn revisions_branches_and_merges() {
    let (_tmp, dir) = init_project();
    let mig = Mig::new(&dir);
    let ok = |args: &[&str]| {
        let r = mig.with(args).run().redacted();
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
    let r = mig.with(["revision", "-m", "x"]).run().redacted();
    assert_eq!(r.code, 2);
    assert_snapshot!(r.stderr, @"FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.");
    let r = mig
        .with(["revision", "-m", "x", "--head", "aaa"])
        .run()
        .redacted();
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

/// What differs between runs (the project's path, generated revision ids, dates) comes
/// out redacted, so snapshots of it hold.
#[test]
fn generated_revisions_snapshot_through_the_redaction() {
    let (_tmp, dir) = init_project();
    let mig = Mig::new(&dir);
    let made = mig.with(["revision", "-m", "first"]).run().success();
    assert_snapshot!(made.redacted().stdout, @"Generating [DIR]/versions/[REV]_first.sql ...  done");
    let shown = mig.with(["show", "head"]).run().success().redacted();
    let shown: Vec<&str> = shown.stdout.lines().map(str::trim_end).collect();
    assert_snapshot!(shown.join("\n"), @r"
    Rev: [REV] (head)
    Parent: <base>
    Path: [DIR]/versions/[REV]_first.sql

        first

        Revision ID: [REV]
        Revises:
        Create Date: [TIME]
    ");
}

#[test]
fn json_format() {
    let mig = Mig::new(repo());
    let r = mig.with(["heads", "--format", "json"]).run().redacted();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v[0]["revision"], "251018_schema_v1_inbox");
    assert_eq!(v[0]["is_head"], true);
    let r = mig.with(["history", "--format", "json"]).run().redacted();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(3));
}

#[test]
fn missing_config_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = Mig::new(tmp.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2);
    assert_snapshot!(r.stderr, @"FAILED: No config file 'alembic.ini' found, or file has no '[alembic]' section");
}

fn rev(id: &str, down: &str, body: &str) -> String {
    revision(id, down, body, "")
}

#[test]
fn bad_revision_files_are_refused_with_file_and_line() {
    let dup = project_with_ini(
        &ini_with_url_from_env("dialect = postgresql"),
        &[
            ("a.sql", &rev("a", "", "SELECT 1;")),
            ("b.sql", &rev("a", "", "SELECT 2;")),
        ],
    );
    let r = Mig::new(dup.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a.sql") && r.stderr.contains("b.sql"),
        "{}",
        r.stderr
    );

    let parent = project_with_ini(
        &ini_with_url_from_env("dialect = postgresql"),
        &[("a.sql", &rev("a", "nope", "SELECT 1;"))],
    );
    let r = Mig::new(parent.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("nope") && r.stderr.contains("a.sql"),
        "{}",
        r.stderr
    );

    let quote = project_with_ini(
        &ini_with_url_from_env("dialect = postgresql"),
        &[("a.sql", &rev("a", "", "SELECT 'open;"))],
    );
    let r = Mig::new(quote.path())
        .args(["upgrade", "head", "--sql"])
        .run()
        .redacted();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.sql:7"), "{}", r.stderr);

    let long = project_with_ini(
        &ini_with_url_from_env("dialect = postgresql"),
        &[("a.sql", &rev(&"x".repeat(33), "", "SELECT 1;"))],
    );
    let r = Mig::new(long.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("32"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn unresolved_url_only_matters_to_commands_that_connect() {
    // The demo's sqlalchemy.url is %(DATABASE_URL)s and DATABASE_URL is unset here.
    let r = Mig::new(repo())
        .args(["upgrade", "head", "--sql"])
        .run()
        .redacted();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("CREATE SCHEMA IF NOT EXISTS zero_admin;\n\nSET search_path TO zero_admin, public;\n\nBEGIN;\n"));
}

#[test]
fn demo_offline_sql_applies_cleanly_with_psql() {
    let db = crate::support::pg_db("demo_psql");
    let sql = Mig::new(repo())
        .args(["upgrade", "head", "--sql"])
        .run()
        .redacted();
    assert_eq!(sql.code, 0, "{}", sql.stderr);
    psql(db.url(), &sql.stdout);
    let tables = psql(db.url(), "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'zero_admin'");
    assert_snapshot!(tables.trim(), @"alembic_version,chunks,dead_letters,event_outbox,inbox_items,parsed_items,processed_events");
    let version = psql(
        db.url(),
        "SELECT version_num FROM zero_admin.alembic_version",
    );
    assert_eq!(version.trim(), "251018_schema_v1_inbox");
}

/// A working directory that no longer exists is named as what it is (it was reported as
/// a failure to write `.`), and is a configuration problem: exit 2.
#[test]
fn removed_working_directory_is_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gone = tmp.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    // The shell starts in the directory, removes it, then becomes mig: mig starts in a
    // working directory that no longer exists.
    let out = Mig::new(&gone)
        .arg("heads")
        .via(
            "sh",
            ["-c", "d=$(pwd -P) && rmdir \"$d\" && exec \"$0\" \"$@\""],
        )
        .run();
    assert_eq!(out.code, 2);
    assert_snapshot!(
        out.stderr.trim(),
        @"FAILED: cannot read the working directory: No such file or directory (os error 2)"
    );
}

/// `--in-place` needs `--yes`: one rule, the same refusal from `mig roundtrip`, `mig
/// roundtrip --runbook` and `mig runbook` (the runbook's was clap's `required arguments`
/// text), before anything runs.
#[test]
fn in_place_needs_yes_is_one_rule() {
    let (_tmp, dir) = init_project();
    for args in [
        &["roundtrip", "--in-place"][..],
        &["roundtrip", "--runbook", "--in-place"],
        &["runbook", "--in-place"],
    ] {
        let r = Mig::new(&dir).args(args).run().redacted();
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.trim(),
            "FAILED: `--in-place` runs upgrades and downgrades on the configured database \
             itself; add `--yes` to confirm",
            "{args:?}"
        );
    }
}
