//! The history table: one row per applied, reverted, stamped or failed step, checksum
//! drift after a revision file changes, `accept`, and databases migrated by Alembic.

use std::fmt::Write as _;

use mig::config::ExecSettings;
use mig::engine::{self, EngineError};
use mig::provision::TempSqlite;
use mig::revision::graph::RevisionMap;
use mig::revision::plan::Plan;
use mig::revision::Revision;
use sha2::{Digest, Sha256};

use crate::online_support::*;
use crate::support;

const IDS: [&str; 3] = ["a", "b", "c"];

fn revisions() -> Vec<Revision> {
    vec![
        table_rev("a", &[]),
        table_rev("b", &["a"]),
        rev("c", &["b"], "SELECT * FROM nope;", ""),
    ]
}

/// SHA-256 of a section that is already normalised (no trailing whitespace).
fn sha(text: &str) -> String {
    let mut hex = String::new();
    for byte in Sha256::digest(text.as_bytes()) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn plan_to<'m>(
    map: &'m RevisionMap,
    to: &'m str,
) -> impl FnMut(&[String]) -> Result<Plan<'m>, String> + 'm {
    move |heads: &[String]| upgrade_plan(map, &IDS, heads, to)
}

#[tokio::test]
async fn rows_for_every_step_drift_and_accept() {
    let db = support::pg_db("history_rows");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let mut files = revisions();
    let map = graph(files.clone());
    engine::upgrade(&config, &target, &map, plan_to(&map, "b"))
        .await
        .unwrap();

    let rows = engine::history(&config, &target).await.unwrap();
    let summary: Vec<(Option<&str>, &str, Option<&str>, bool)> = rows
        .iter()
        .map(|r| {
            (
                r.revision.as_deref(),
                r.direction.as_str(),
                r.checksum.as_deref(),
                r.success,
            )
        })
        .collect();
    let a_sum = sha("CREATE TABLE t_a (id INTEGER);");
    let b_sum = sha("CREATE TABLE t_b (id INTEGER);");
    assert_eq!(
        summary,
        [
            (Some("a"), "upgrade", Some(a_sum.as_str()), true),
            (Some("b"), "upgrade", Some(b_sum.as_str()), true)
        ]
    );
    for row in &rows {
        assert_eq!(row.mig_version, env!("CARGO_PKG_VERSION"));
        assert!(row.operator.contains('@'), "{}", row.operator);
        assert!(row.duration_ms >= 0);
        assert_eq!(
            row.started_at.len(),
            "2025-10-18T17:30:00.000000Z".len(),
            "{}",
            row.started_at
        );
        assert!(row.started_at.ends_with('Z'));
        assert_eq!(row.error, None);
    }
    assert!(rows[0].started_at <= rows[1].started_at);

    assert_eq!(drift(&config, &target, &[]).await, []);

    // Edit `b` after it was applied (trailing whitespace and CRLF do not count).
    files[1].upgrade.sql = "CREATE TABLE t_b (id INTEGER);  \r\n".into();
    let applied = |files: &[Revision]| -> Vec<Revision> { files[..2].to_vec() };
    let snapshot = applied(&files);
    let read = engine::status::read(&config, &target).await.unwrap();
    assert_eq!(read.heads, ["b"]);
    let no_drift = drift(&config, &target, &snapshot).await;
    assert_eq!(no_drift, []);

    files[1].upgrade.sql = "CREATE TABLE t_b (id BIGINT);".into();
    let snapshot = applied(&files);
    let drifts = drift(&config, &target, &snapshot).await;
    assert_eq!(drifts.len(), 1);
    assert_eq!(drifts[0].revision, "b");
    assert_eq!(drifts[0].recorded, b_sum);
    assert_eq!(drifts[0].current, sha("CREATE TABLE t_b (id BIGINT);"));
    let text = drifts[0].to_string();
    assert!(
        text.starts_with("revision `b` (`versions/b.sql`) changed since it was applied"),
        "{text}"
    );

    engine::accept(&config, &target, &files[1], "widened the id before release")
        .await
        .unwrap();
    let after = drift(&config, &target, &snapshot).await;
    assert_eq!(after, []);
    let rows = engine::history(&config, &target).await.unwrap();
    let accepted = rows.last().unwrap();
    assert_eq!(accepted.direction, "accept");
    assert_eq!(accepted.revision.as_deref(), Some("b"));
    assert_eq!(
        accepted.reason.as_deref(),
        Some("widened the id before release")
    );

    // A downgrade records the downgrade section's checksum.
    let map = graph(files.clone());
    engine::downgrade(&config, &target, &map, |heads: &[String]| {
        downgrade_plan(&map, &IDS, heads, Some("a"))
    })
    .await
    .unwrap();
    let rows = engine::history(&config, &target).await.unwrap();
    let reverted = rows.last().unwrap();
    assert_eq!(
        (reverted.revision.as_deref(), reverted.direction.as_str()),
        (Some("b"), "downgrade")
    );
    assert_eq!(
        reverted.checksum.as_deref(),
        Some(sha("DROP TABLE t_b;").as_str())
    );
}

#[tokio::test]
async fn a_failed_step_is_recorded_after_the_rollback() {
    let db = support::pg_db("history_failure");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let map = graph(revisions());
    engine::upgrade(&config, &target, &map, plan_to(&map, "b"))
        .await
        .unwrap();
    let err = engine::upgrade(&config, &target, &map, plan_to(&map, "c"))
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::Apply(_)), "{err}");
    let rows = engine::history(&config, &target).await.unwrap();
    assert_eq!(rows.len(), 3);
    let failed = &rows[2];
    assert_eq!(failed.revision.as_deref(), Some("c"));
    assert!(!failed.success);
    assert_eq!(
        failed.error.as_deref(),
        Some("revision `c` failed at `versions/c.sql` line 8, column 1: relation \"nope\" does not exist (SQLSTATE 42P01)")
    );
}

#[tokio::test]
async fn stamps_are_recorded_without_checksum() {
    let db = support::pg_db("history_stamp");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    engine::stamp(
        &config,
        &target,
        &graph(revisions()),
        false,
        |_: &[String]| Ok::<_, String>(plan(&[], vec![stamp(&[], &["b"], vec![ins("b")])], &["b"])),
    )
    .await
    .unwrap();
    let rows = engine::history(&config, &target).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].revision.as_deref(),
            rows[0].direction.as_str(),
            rows[0].checksum.as_deref()
        ),
        (Some("b"), "stamp", None)
    );
}

/// Alembic's table with a row, no history table: mig continues, records only its own
/// steps, and reports no drift for what Alembic applied.
#[tokio::test]
async fn a_database_migrated_by_alembic_continues() {
    let db = support::pg_db("history_alembic");
    let mut conn = pg(db.url()).await;
    exec_pg(
        &mut conn,
        "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    \
         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\
         CREATE TABLE t_a (id INTEGER);\n\
         INSERT INTO alembic_version (version_num) VALUES ('a')",
    )
    .await;
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let files = revisions();
    let map = graph(files.clone());
    let outcome = engine::upgrade(&config, &target, &map, plan_to(&map, "b"))
        .await
        .unwrap();
    assert_eq!(outcome.start_heads, ["a"]);
    assert_eq!(outcome.end_heads, ["b"]);
    let rows = engine::history(&config, &target).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].revision.as_deref(), Some("b"));
    let mut edited = files.clone();
    edited[0].upgrade.sql = "CREATE TABLE t_a (id BIGINT);".into();
    let drifts = drift(&config, &target, &edited[..2]).await;
    assert_eq!(drifts, []);
}

#[tokio::test]
async fn an_empty_history_table_setting_disables_it() {
    let db = support::pg_db("history_disabled");
    let config = config(ExecSettings {
        history_table: None,
        ..ExecSettings::default()
    });
    let target = url(db.url());
    let files = revisions();
    let map = graph(files.clone());
    engine::upgrade(&config, &target, &map, plan_to(&map, "b"))
        .await
        .unwrap();
    let mut conn = pg(db.url()).await;
    assert!(!pg_table_exists(&mut conn, "mig_history").await);
    assert_eq!(engine::history(&config, &target).await.unwrap(), []);
    let err = engine::accept(&config, &target, &files[0], "x")
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::HistoryDisabled), "{err}");
    assert_eq!(err.exit_code(), 2);
}

#[tokio::test]
async fn sqlite_records_history_too() {
    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    let files = revisions();
    let map = graph(files.clone());
    engine::upgrade(&config, &target, &map, plan_to(&map, "b"))
        .await
        .unwrap();
    let _ = engine::upgrade(&config, &target, &map, plan_to(&map, "c"))
        .await
        .unwrap_err();
    let rows = engine::history(&config, &target).await.unwrap();
    let summary: Vec<(Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.revision.as_deref(), r.success))
        .collect();
    assert_eq!(
        summary,
        [(Some("a"), true), (Some("b"), true), (Some("c"), false)]
    );
    assert!(rows[0].started_at.ends_with('Z'), "{}", rows[0].started_at);
    let edited = {
        let mut files = files.clone();
        files[0].upgrade.sql = "CREATE TABLE t_a (id TEXT);".into();
        files
    };
    let drifts = drift(&config, &target, &edited[..2]).await;
    assert_eq!(drifts.len(), 1);
    assert_eq!(drifts[0].revision, "a");
}

/// The checksum drift of `applied` against what the database records, judged as `mig
/// status` and `mig check` judge it (from the history rows of one read).
async fn drift(
    config: &mig::config::Config,
    target: &mig::url::DatabaseUrl,
    applied: &[Revision],
) -> Vec<mig::engine::Drift> {
    let read = engine::status::read(config, target).await.unwrap();
    let applied: Vec<&Revision> = applied.iter().collect();
    engine::checksums::judge(&mig::db::history::latest_checksums(&read.history), &applied)
}
