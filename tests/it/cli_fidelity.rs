//! The small things a newcomer hits, through the `mig` binary (issue 9, items 10, 13, 15):
//! negative relative targets and `--lock-timeout` on the command line, unique generated
//! ids, a fresh `mig init` project that needs no database for `--sql`, bad ports shown,
//! sorted branch labels, the operator without `$USER`, no driver source locations.
//! Reading the configuration and revision files: `cli_config.rs`.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Command;

use mig::db::{begin_immediate, Connection};
use mig::provision::TempSqlite;

use crate::support::project::{ini_with_url_from_env, init_project};
use crate::support::{self, Mig};

/// A project in `dir` whose URL comes from `DATABASE_URL`, with `mig_section`.
pub fn ini(dir: &Path, mig_section: &str) {
    std::fs::create_dir_all(dir.join("versions")).expect("mkdir");
    std::fs::write(dir.join("alembic.ini"), ini_with_url_from_env(mig_section)).expect("ini");
}

/// Revision `id` (message `rev <id>`) creating table `t_<id>`, with `labels`.
pub fn rev_file(dir: &Path, id: &str, down: &str, labels: &str) {
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
    let (_tmp, dir) = init_project();
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
    let (_tmp, dir) = init_project();
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
