//! `mig status` (SPEC section 13) through the binary: every revision with its state, the
//! heads and `up to date` / `N pending`, `--exit-code`, `--format json`; databases
//! migrated by Alembic (no history table) and by an older mig (a history table without
//! the progress columns); commands that change nothing say so; a failed first run is
//! in the history table.

use crate::support::project::{project, revision, revision_with};
use crate::support::{pg_db, pg_exec, pg_query, Mig};

fn chain() -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            revision("a", "", "CREATE TABLE t_a (id int);", "DROP TABLE t_a;"),
        ),
        (
            "b.sql",
            revision("b", "a", "CREATE TABLE t_b (id int);", "DROP TABLE t_b;"),
        ),
        (
            "c.sql",
            revision_with(
                "c",
                "b",
                "-- Transaction: none\n",
                "CREATE TABLE t_c (id int);\n\nCREATE INDEX CONCURRENTLY ix_c ON t_c (id);",
                "DROP TABLE t_c;",
            ),
        ),
    ])
}

#[test]
fn status_lists_every_revision_and_exits_1_when_something_is_pending() {
    let db = pg_db("status_states");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    let fresh = mig.with(["status"]).ok();
    assert_eq!(
        fresh,
        "pending      a  versions/a.sql\npending      b  versions/b.sql\n\
         pending      c  versions/c.sql\nheads: c\n3 pending\n"
    );
    assert_eq!(mig.with(["status", "--exit-code"]).run().code, 1);

    mig.with(["upgrade", "b"]).ok();
    let partway = mig.with(["status"]).ok();
    let lines: Vec<&str> = partway.lines().collect();
    assert!(
        lines[0].starts_with("applied      a  versions/a.sql  applied 20")
            && lines[0].ends_with(" UTC by deployer@ci1"),
        "{partway}"
    );
    assert!(lines[2].starts_with("pending      c"), "{partway}");
    assert!(partway.ends_with("heads: c\n1 pending\n"), "{partway}");

    let json = mig.with(["--format", "json", "status"]).ok();
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["pending"], 1);
    assert_eq!(value["up_to_date"], false);
    assert_eq!(value["current"], serde_json::json!(["b"]));
    assert_eq!(value["revisions"][1]["state"], "applied");
    assert_eq!(value["revisions"][1]["applied_by"], "deployer@ci1");
    assert_eq!(value["revisions"][2]["state"], "pending");

    mig.with(["upgrade", "head"]).ok();
    assert!(mig
        .with(["status", "--exit-code"])
        .ok()
        .ends_with("heads: c\nup to date\n"));

    // A changed file is `changed`, with the drift text; not pending.
    std::fs::write(
        dir.join("versions/a.sql"),
        revision("a", "", "CREATE TABLE t_a (id bigint);", "DROP TABLE t_a;"),
    )
    .expect("edit");
    let changed = mig.with(["status", "--exit-code"]).ok();
    assert!(changed.starts_with("changed      a"), "{changed}");
    assert!(
        changed.contains("    revision `a` (`"),
        "the drift explanation follows: {changed}"
    );
    assert!(changed.ends_with("up to date\n"), "{changed}");
}

#[test]
fn commands_that_change_nothing_say_so() {
    let db = pg_db("status_nothing");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "head"]).ok();
    let again = mig.with(["upgrade", "head"]).run();
    assert_eq!(again.code, 0);
    assert!(
        again
            .stderr
            .contains("INFO  [mig] Already at head c; nothing to do."),
        "{}",
        again.stderr
    );
    mig.with(["downgrade", "base"]).ok();
    let down = mig.with(["downgrade", "base"]).run();
    assert!(
        down.stderr.contains("Already at base; nothing to do."),
        "{}",
        down.stderr
    );
}

#[test]
fn databases_of_alembic_and_of_an_older_mig_work() {
    let db = pg_db("status_older");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();
    // Alembic: a version table, no history table.
    pg_exec(
        url,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); \
         INSERT INTO alembic_version VALUES ('a'); CREATE TABLE t_a (id int)",
    );
    let mig = Mig::new(dir).url(url);
    let status = mig.with(["status"]).ok();
    assert!(
        status.starts_with(
            "applied      a  versions/a.sql  (no history row: applied by Alembic or stamped)\n"
        ),
        "{status}"
    );
    // The history table as the previous mig created it, with one of its rows.
    pg_exec(
        url,
        "CREATE TABLE mig_history (revision VARCHAR(255), direction VARCHAR(16) NOT NULL, \
         checksum VARCHAR(64), started_at TIMESTAMP WITH TIME ZONE NOT NULL, \
         duration_ms BIGINT NOT NULL, operator VARCHAR(255) NOT NULL, \
         mig_version VARCHAR(32) NOT NULL, success BOOLEAN NOT NULL, error TEXT, reason TEXT); \
         INSERT INTO mig_history VALUES ('a', 'upgrade', NULL, '2025-10-18 17:30:00+00', 5, \
         'old@host', '0.1.0', TRUE, NULL, NULL)",
    );
    let status = mig.with(["status"]).ok();
    assert!(
        status.starts_with(
            "applied      a  versions/a.sql  applied 2025-10-18 17:30:00 UTC by old@host\n"
        ),
        "{status}"
    );
    mig.with(["upgrade", "head"]).ok();
    assert_eq!(
        pg_query(
            url,
            "SELECT string_agg(column_name::text, ',' ORDER BY ordinal_position) \
             FROM information_schema.columns WHERE table_name = 'mig_history'"
        ),
        [
            "revision,direction,checksum,started_at,duration_ms,operator,mig_version,success,\
          error,reason,progress,statements_done,statements_total,statement_line,version_rows"
        ]
    );
    let status = mig.with(["status"]).ok();
    assert!(status.contains("by old@host\n"), "{status}");
    assert!(status.ends_with("up to date\n"), "{status}");
}

#[test]
fn a_failed_first_run_on_sqlite_is_in_the_history_table() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:///{}", tmp.path().join("db.sqlite").display());
    let proj = project(&[(
        "a.sql",
        revision("a", "", "INSERT INTO nope VALUES (1);", ""),
    )]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        !failed.stderr.contains("could not be recorded"),
        "{}",
        failed.stderr
    );
    let rows = crate::support::block_on(async {
        let file = tmp.path().join("db.sqlite");
        let mut conn = mig::db::connect_sqlite(
            &mig::db::SqliteLocation::File(file),
            std::time::Duration::from_secs(5),
        )
        .await
        .expect("open");
        sqlx::query_as::<_, (String, String, i64)>(
            "SELECT revision, direction, success FROM mig_history",
        )
        .fetch_all(&mut conn)
        .await
        .expect("history")
    });
    assert_eq!(rows, [("a".to_string(), "upgrade".to_string(), 0)]);
    assert!(mig.with(["status"]).ok().ends_with("1 pending\n"));
}
