//! The small things a newcomer hits, through the `mig` binary (issue 9, items 10, 13, 15):
//! negative relative targets and `--lock-timeout` on the command line, unique generated
//! ids, a fresh `mig init` project that needs no database for `--sql`, bad ports shown,
//! sorted branch labels, the operator without `$USER`, no driver source locations.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Command;

use mig::db::{begin_immediate, Connection};
use mig::provision::TempSqlite;

use crate::support::{self, Mig};

/// A fresh `mig init` project in a temp dir.
fn init() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("proj");
    Mig::new(tmp.path()).args(["init", "proj"]).ok();
    (tmp, dir)
}

fn ini(dir: &Path, mig_section: &str) {
    std::fs::create_dir_all(dir.join("versions")).expect("mkdir");
    std::fs::write(
        dir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\
             sqlalchemy.url = %(DATABASE_URL)s\n\n[mig]\n{mig_section}\n"
        ),
    )
    .expect("ini");
}

fn rev_file(dir: &Path, id: &str, down: &str, labels: &str) {
    let labels = if labels.is_empty() {
        String::new()
    } else {
        format!("-- Branch Labels: {labels}\n")
    };
    std::fs::create_dir_all(dir.join("versions")).expect("mkdir");
    std::fs::write(
        dir.join("versions").join(format!("{id}.sql")),
        format!(
            "-- rev {id}\n--\n-- Revision ID: {id}\n-- Revises: {down}\n{labels}\n\
             -- migrate:upgrade\nCREATE TABLE t_{id} (id INTEGER);\n\n\
             -- migrate:downgrade\nDROP TABLE t_{id};\n"
        ),
    )
    .expect("revision");
}

#[test]
fn negative_relative_targets_are_revisions_not_flags() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "dialect = postgresql");
    rev_file(tmp.path(), "a", "", "");
    rev_file(tmp.path(), "b", "a", "");
    let mig = Mig::new(tmp.path());
    let stamped = mig.with(["stamp", "-1", "--sql"]).ok();
    assert!(
        stamped.contains("-- Running stamp_revision  -> a\n"),
        "{stamped}"
    );
    assert!(mig.with(["show", "-1"]).ok().starts_with("Rev: a\n"));
    assert_eq!(
        mig.with(["history", "-r", "-1:"]).ok(),
        "a -> b (head), rev b\n<base> -> a, rev a\n"
    );
    for args in [
        &["revision", "-m", "x", "--head", "-1"][..],
        &["merge", "-m", "x", "-1", "heads"],
    ] {
        let r = mig.with(args).run();
        assert_eq!(
            r.stderr.trim(),
            "FAILED: Revision a is not a head revision; please specify --splice to create a new \
             branch from this revision",
            "{args:?}"
        );
    }
    let down = mig.with(["downgrade", "-1", "--sql"]).run();
    insta::assert_snapshot!(down.stderr.trim(), @"FAILED: downgrade with --sql requires <fromrev>:<torev>");
}

#[test]
fn lock_timeout_flag_overrides_the_file_even_before_the_revision() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "lock_timeout = 60s");
    rev_file(tmp.path(), "a", "", "");
    let file = TempSqlite::new().expect("sqlite");
    let url = file.url();
    let mig = Mig::new(tmp.path());
    let r = support::block_on(async {
        let mut holder = support::open(&url, &mig::config::ExecSettings::default())
            .await
            .expect("open");
        let Connection::Sqlite(conn) = &mut holder else {
            panic!("expected SQLite");
        };
        begin_immediate(conn).await.expect("hold the write lock");
        // The flag sits between the command and its revision, where a swallowed flag
        // would become the revision.
        let r = mig
            .with(["upgrade", "--lock-timeout", "300ms", "head"])
            .env("DATABASE_URL", &url)
            .run();
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut *conn)
            .await
            .expect("release");
        r
    });
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("timed out after 0.3s"), "{}", r.stderr);
    let bad = mig
        .with(["upgrade", "--lock-timeout", "soon", "head", "--sql"])
        .run();
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("invalid value `soon` for `lock_timeout` from the command line"),
        "{}",
        bad.stderr
    );
}

#[test]
fn revisions_made_in_one_second_get_distinct_ids() {
    let (_tmp, dir) = init();
    let mig = Mig::new(&dir);
    for message in ["one", "two", "three"] {
        mig.with(["revision", "-m", message]).ok();
    }
    let files = std::fs::read_dir(dir.join("versions"))
        .expect("versions")
        .count();
    assert_eq!(files, 3);
    // One line of history each, one head: every revision built on the previous one.
    let history = mig.with(["history"]).ok();
    assert_eq!(history.lines().count(), 3, "{history}");
    assert_eq!(mig.with(["heads"]).ok().lines().count(), 1);
    assert!(history
        .lines()
        .next()
        .unwrap_or_default()
        .ends_with(", three"));
}

#[test]
fn a_fresh_project_renders_sql_without_a_database() {
    let (_tmp, dir) = init();
    let mig = Mig::new(&dir);
    mig.with(["revision", "-m", "first"]).ok();
    let sql = mig.with(["upgrade", "head", "--sql"]).ok();
    assert!(
        sql.starts_with("BEGIN;\n\nCREATE TABLE alembic_version"),
        "{sql}"
    );
}

#[test]
fn a_bad_port_is_shown_and_the_password_is_not() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "");
    let r = Mig::new(tmp.path())
        .args([
            "current",
            "--url",
            "postgresql://u:s3cret@localhost:54x2/db",
        ])
        .run();
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.stderr.trim(), @"FAILED: invalid database URL from `--url`: the port in `postgresql://u:***@localhost:54x2/db` is not a number between 0 and 65535");
}

#[test]
fn branch_labels_print_in_one_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "dialect = postgresql");
    rev_file(tmp.path(), "a", "", "br1");
    rev_file(tmp.path(), "b", "a", "br0");
    let mig = Mig::new(tmp.path());
    insta::assert_snapshot!(mig.with(["history"]).ok(), @r"
    a -> b (br0, br1) (head), rev b
    <base> -> a (br0, br1), rev a
    ");
    assert_eq!(mig.with(["heads"]).ok(), "b (br0, br1) (head)\n");
    assert!(mig
        .with(["show", "a"])
        .ok()
        .contains("Branch names: br0, br1\n"));
}

#[test]
fn the_operator_comes_from_the_uid_without_user() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "");
    rev_file(tmp.path(), "a", "", "");
    let file = TempSqlite::new().expect("sqlite");
    let url = file.url();
    let r = Mig::new(tmp.path())
        .args(["upgrade", "head"])
        .env("DATABASE_URL", &url)
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let who = Command::new("id").arg("-un").output().expect("id -un");
    let name = String::from_utf8_lossy(&who.stdout).trim().to_string();
    let operator: String = support::block_on(async {
        let mut conn = support::open(&url, &mig::config::ExecSettings::default())
            .await
            .expect("open");
        let Connection::Sqlite(c) = &mut conn else {
            panic!("expected SQLite");
        };
        sqlx::query_scalar("SELECT operator FROM mig_history")
            .fetch_one(&mut *c)
            .await
            .expect("history row")
    });
    assert!(
        operator.starts_with(&format!("{name}@")),
        "{operator} (uid name {name})"
    );
}

#[test]
fn driver_errors_carry_no_source_location() {
    // A server that answers PostgreSQL's SSLRequest with garbage: sqlx reports a protocol
    // error, to which it appends its own source file and line.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 8];
            let _ = stream.read_exact(&mut request);
            let _ = stream.write_all(b"X");
        }
    });
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "");
    let url = format!("postgresql://u@{addr}/db");
    let r = Mig::new(tmp.path()).args(["current", "--url", &url]).run();
    // Wakes the server should mig not have connected; ignored when it is gone.
    drop(std::net::TcpStream::connect(addr));
    let _ = server.join();
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("SSLRequest"), "{}", r.stderr);
    assert!(!r.stderr.contains("sqlx_postgres::"), "{}", r.stderr);
}

#[test]
fn an_interpolation_bomb_fails_fast_naming_the_key_and_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    let mut text = String::from("[alembic]\nscript_location = %(x10)s\nx1 = boom\n");
    for level in 2..=10 {
        text.push_str(&format!(
            "x{level} = {}\n",
            format!("%(x{})s", level - 1).repeat(8)
        ));
    }
    std::fs::write(tmp.path().join("alembic.ini"), &text).expect("ini");
    let mig = Mig::new(tmp.path());
    let r = mig.with(["heads"]).run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "FAILED: `alembic.ini` line 2: `script_location` in section `[alembic]` expands to more than"
        ),
        "{}",
        r.stderr
    );
    // The same bomb in a key no command reads is never expanded.
    let unused = text.replace("script_location = %(x10)s", "script_location = %(here)s");
    std::fs::write(tmp.path().join("alembic.ini"), unused).expect("ini");
    let r = mig.with(["heads"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `[mig]` keys only some commands use are interpolated when a command asks for them:
/// a bomb or an unresolvable reference in `runbook_dir` (or a naming convention) does
/// not stop `heads` or `upgrade --sql`, and stops `runbook`, which uses every key, with
/// exit 2 naming the key and its line.
#[test]
fn unused_mig_keys_are_not_interpolated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    rev_file(tmp.path(), "a", "", "");
    let mut bomb = String::from("x1 = boom\n");
    for level in 2..=10 {
        bomb.push_str(&format!(
            "x{level} = {}\n",
            format!("%(x{})s", level - 1).repeat(8)
        ));
    }
    for (value, expected) in [
        (
            "%(x10)s",
            "`alembic.ini` line 7: `runbook_dir` in section `[mig]` expands to more than",
        ),
        (
            "%(nowhere)s",
            "`naming_convention.pk` in section `[mig]` refers to `%(missing_too)s`",
        ),
    ] {
        // The first case has a valid convention, so `runbook` stops at `runbook_dir`.
        let naming = if value == "%(x10)s" {
            "pk_%(table_name)s"
        } else {
            "%(missing_too)s"
        };
        std::fs::write(
            tmp.path().join("alembic.ini"),
            format!(
                "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n\
                 naming_convention.pk = {naming}\nrunbook_dir = {value}\n{bomb}"
            ),
        )
        .expect("ini");
        let mig = Mig::new(tmp.path());
        let r = mig.with(["heads"]).run();
        assert_eq!((r.code, r.stdout.trim()), (0, "a (head)"), "{}", r.stderr);
        let r = mig.with(["upgrade", "head", "--sql"]).run();
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("CREATE TABLE t_a"), "{}", r.stdout);

        let r = mig
            .with(["runbook", "--url", "postgresql://u@127.0.0.1:1/db"])
            .run();
        assert_eq!(r.code, 2, "{value}: {}", r.stderr);
        let failed = r
            .stderr
            .lines()
            .find(|l| l.starts_with("FAILED:"))
            .unwrap_or_default();
        assert!(failed.contains(expected), "{value}: {}", r.stderr);
    }
}

#[test]
fn graph_and_config_errors_name_their_files() {
    let cycle = tempfile::tempdir().expect("tempdir");
    ini(cycle.path(), "dialect = postgresql");
    rev_file(cycle.path(), "a", "b", "");
    rev_file(cycle.path(), "b", "a", "");
    let r = Mig::new(cycle.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        "FAILED: Cycle is detected in revisions (a, b) (in `[DIR]/versions/a.sql:4`, `[DIR]/versions/b.sql:4`)"
    );

    let labels = tempfile::tempdir().expect("tempdir");
    ini(labels.path(), "dialect = postgresql");
    rev_file(labels.path(), "a", "", "x");
    rev_file(labels.path(), "b", "a", "x");
    let r = Mig::new(labels.path()).args(["heads"]).run().redacted();
    assert_eq!(
        r.stderr.trim(),
        "FAILED: Branch name 'x' in revision b already used by revision a (in `[DIR]/versions/b.sql:5` and `[DIR]/versions/a.sql:5`)"
    );

    let selfloop = tempfile::tempdir().expect("tempdir");
    ini(selfloop.path(), "dialect = postgresql");
    rev_file(selfloop.path(), "a", "a", "");
    let r = Mig::new(selfloop.path()).args(["heads"]).run();
    assert!(
        r.stderr
            .starts_with("FAILED: Self-loop is detected in revisions (a) (in `")
            && r.stderr.contains("versions/a.sql:4`)"),
        "{}",
        r.stderr
    );

    // Unknown parent and unknown dependency: the line of the header that names them.
    let unknown = tempfile::tempdir().expect("tempdir");
    ini(unknown.path(), "dialect = postgresql");
    rev_file(unknown.path(), "a", "zz", "");
    let mig = Mig::new(unknown.path());
    let r = mig.with(["heads"]).run().redacted();
    assert_eq!(
        (r.code, r.stderr.trim().to_string()),
        (
            2,
            "FAILED: Revision zz referenced from a is not present (in `[DIR]/versions/a.sql:4`)"
                .to_string()
        )
    );
    std::fs::write(
        unknown.path().join("versions/a.sql"),
        "-- rev a\n--\n-- Revision ID: a\n-- Revises:\n-- Create Date: 2024-01-01\n\
         -- Depends On: nowhere\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n",
    )
    .expect("revision");
    let r = mig.with(["upgrade", "head", "--sql"]).run().redacted();
    assert_eq!(
        (r.code, r.stderr.trim().to_string()),
        (
            2,
            "FAILED: Dependency nowhere of revision a is not a known revision or branch label \
             (in `[DIR]/versions/a.sql:6`)"
                .to_string()
        )
    );

    let no_location = tempfile::tempdir().expect("tempdir");
    std::fs::write(no_location.path().join("alembic.ini"), "[alembic]\nx = 1\n").expect("ini");
    let r = Mig::new(no_location.path()).args(["heads"]).run();
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim(),
        "FAILED: No 'script_location' key found in configuration. (in `[alembic]` of `alembic.ini`)"
    );
}

#[test]
fn diff_without_differences_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a.json");
    std::fs::write(&a, "{\"dialect\": \"sqlite\", \"objects\": []}").expect("snapshot");
    let a = a.display().to_string();
    let mig = Mig::new(tmp.path());
    let r = mig.with(["diff", &a, &a]).run();
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "no differences\n"),
        "{}",
        r.stderr
    );
    // JSON stays the findings object.
    let r = mig.with(["diff", &a, &a, "--format", "json"]).run();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert!(v.is_object(), "{}", r.stdout);
}

#[test]
fn check_prints_json_when_asked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ini(tmp.path(), "");
    rev_file(tmp.path(), "a", "", "");
    rev_file(tmp.path(), "b", "a", "");
    let file = TempSqlite::new().expect("sqlite");
    let url = file.url();
    let with_url = |args: &[&str]| {
        Mig::new(tmp.path())
            .args(args)
            .env("DATABASE_URL", &url)
            .run()
    };
    assert_eq!(with_url(&["upgrade", "a"]).code, 0);
    let r = with_url(&["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json on stdout");
    assert_eq!(v["ok"], false);
    insta::assert_snapshot!(v["problems"][0].as_str().unwrap_or_default(), @"database is at [a], the heads are [b]: run `mig upgrade heads`");
    assert_eq!(with_url(&["upgrade", "head"]).code, 0);
    let r = with_url(&["check", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json on stdout");
    assert_eq!(v, serde_json::json!({"ok": true, "problems": []}));
}

#[test]
fn keys_only_revision_reads_are_interpolated_only_by_revision() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    std::fs::write(
        tmp.path().join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nfile_template = %(nowhere)s\n\n\
         [mig]\ndialect = postgresql\n",
    )
    .expect("ini");
    rev_file(tmp.path(), "a", "", "");
    let mig = Mig::new(tmp.path());
    assert_eq!(mig.with(["heads"]).ok(), "a (head)\n");
    assert!(mig
        .with(["upgrade", "head", "--sql"])
        .ok()
        .contains("-- Running upgrade  -> a"));
    let r = mig.with(["revision", "-m", "next"]).run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`file_template`"), "{}", r.stderr);
}
