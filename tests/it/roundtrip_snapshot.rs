//! `mig snapshot` and `mig diff` through the binary: snapshots are deterministic, a
//! database built by `mig upgrade head` equals one built from the `--sql` text through
//! `psql`, and `diff` compares files and URLs with exit 1 on a difference.

use crate::support;
use crate::support::{psql, repo, Mig};

/// The demo migrated online: `mig upgrade head`.
fn upgraded_online(url: &str) {
    let run = Mig::new(repo())
        .args(["--url", url, "upgrade", "head"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The demo migrated from `mig upgrade head --sql` through `psql -v ON_ERROR_STOP=1`.
fn upgraded_offline(url: &str) {
    let sql = Mig::new(repo()).args(["upgrade", "head", "--sql"]).run();
    assert_eq!(sql.code, 0, "{}", sql.stderr);
    psql(url, &sql.stdout);
}

fn snapshot(url: &str) -> String {
    let run = Mig::new(repo()).args(["--url", url, "snapshot"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn online_and_offline_builds_snapshot_identically_and_deterministically() {
    let online = support::pg_db("rt_snap_online");
    let offline = support::pg_db("rt_snap_offline");
    upgraded_online(online.url());
    upgraded_offline(offline.url());

    let first = snapshot(online.url());
    let second = snapshot(online.url());
    assert_eq!(first, second, "two snapshots of one database differ");
    assert!(
        first.contains("\"id\": \"zero_admin.inbox_items\""),
        "{first}"
    );
    // The version and history tables are left out; the schema holding them is not.
    assert!(!first.contains("alembic_version") && !first.contains("mig_history"));
    assert!(first.contains("\"kind\": \"schema\""));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("offline.json");
    let mig = Mig::new(repo());
    let run = mig
        .with([
            "--url",
            offline.url(),
            "snapshot",
            "--output",
            file.to_str().unwrap(),
        ])
        .run();
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let from_psql = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        first, from_psql,
        "engine-built and psql-built databases differ"
    );

    // `diff` of a file and a URL: the same, then one index apart.
    let same = mig
        .with(["diff", file.to_str().unwrap(), online.url()])
        .run();
    assert_eq!(
        (same.code, same.stdout.as_str()),
        (0, "no differences\n"),
        "{}",
        same.stderr
    );
    support::block_on(async {
        let mut conn = crate::support::connect_pg(online.url()).await.unwrap();
        sqlx::raw_sql("CREATE INDEX ix_extra ON zero_admin.chunks (token_count)")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let differs = mig
        .with(["diff", file.to_str().unwrap(), online.url()])
        .run();
    assert_eq!(differs.code, 1, "{}", differs.stderr);
    insta::assert_snapshot!(differs.stdout, @"extra index zero_admin.ix_extra");
    let json = mig
        .with([
            "--format",
            "json",
            "diff",
            online.url(),
            file.to_str().unwrap(),
        ])
        .run();
    assert_eq!(json.code, 1, "{}", json.stderr);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        parsed["missing"][0]["id"], "zero_admin.ix_extra",
        "{}",
        json.stdout
    );
}

#[test]
fn diff_refuses_unreadable_files_and_mixed_dialects() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let mig = Mig::new(dir.path());
    let run = mig
        .with(["diff", missing.to_str().unwrap(), missing.to_str().unwrap()])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("FAILED: cannot read snapshot `"),
        "{}",
        run.stderr
    );

    let pg = dir.path().join("pg.json");
    let lite = dir.path().join("lite.json");
    std::fs::write(&pg, "{\"dialect\": \"postgresql\", \"objects\": []}").unwrap();
    std::fs::write(&lite, "{\"dialect\": \"sqlite\", \"objects\": []}").unwrap();
    let run = mig
        .with(["diff", pg.to_str().unwrap(), lite.to_str().unwrap()])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim(), @"FAILED: cannot compare a postgresql snapshot with a sqlite one");
    let run = mig
        .with(["diff", pg.to_str().unwrap(), pg.to_str().unwrap()])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn snapshot_of_an_unreachable_database_exits_3_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let run = Mig::new(dir.path())
        .args([
            "--url",
            "postgresql://u:s3cret@127.0.0.1:1/db",
            "-c",
            repo().join("alembic.ini").to_str().unwrap(),
            "snapshot",
        ])
        .run();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.starts_with("FAILED: "), "{}", run.stderr);
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
}
