//! A failing statement: what stays, what is rolled back, and the error text (file,
//! line:column, server message, database state, no password).

use mig::config::ExecSettings;
use mig::engine::{self, EngineError};
use mig::provision::TempSqlite;
use mig::revision::Revision;

use crate::online_support::*;
use crate::support;

const IDS: [&str; 3] = ["a", "b", "c"];

/// `a` and `b` create tables; `c` creates one, then fails on its second statement, which
/// starts at line 9, column 1 of `versions/c.sql`.
fn failing_chain() -> Vec<Revision> {
    vec![
        table_rev("a", &[]),
        table_rev("b", &["a"]),
        rev(
            "c",
            &["b"],
            "CREATE TABLE t_c (id INTEGER);\nINSERT INTO t_c SELECT id FROM nope;",
            "DROP TABLE t_c;",
        ),
    ]
}

fn failure<E: std::fmt::Debug>(result: Result<engine::Outcome, EngineError<E>>) -> String {
    match result {
        Err(EngineError::Apply(failure)) => failure.to_string(),
        other => panic!("expected a failed run, got {other:?}"),
    }
}

async fn upgrade_to(
    config: &mig::config::Config,
    target: &mig::url::DatabaseUrl,
    to: &str,
) -> Result<engine::Outcome, EngineError<String>> {
    let map = graph(failing_chain());
    engine::upgrade(config, target, &map, |heads: &[String]| {
        upgrade_plan(&map, &IDS, heads, to)
    })
    .await
}

#[tokio::test]
async fn one_transaction_per_run_leaves_nothing_of_the_run() {
    let db = support::pg_db("fail_run_tx");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    upgrade_to(&config, &target, "a").await.unwrap();

    let result = upgrade_to(&config, &target, "c").await;
    let err = match &result {
        Err(err) => err.exit_code(),
        Ok(_) => 0,
    };
    assert_eq!(err, 3);
    insta::assert_snapshot!(failure(result), @r#"
    revision `c` failed at `versions/c.sql` line 9, column 1: relation "nope" does not exist (SQLSTATE 42P01)
      statement: INSERT INTO t_c SELECT id FROM nope
      the server points at line 9, column 32
    the database now: the version table holds `a`; rolled back: `upgrade a -> b`, `upgrade b -> c`
    "#);
    let mut conn = pg(db.url()).await;
    assert!(pg_table_exists(&mut conn, "t_a").await);
    assert!(!pg_table_exists(&mut conn, "t_b").await);
    assert!(!pg_table_exists(&mut conn, "t_c").await);
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["a"]);
}

/// SPEC section 13: the failure is recorded even though the transaction that created
/// the history table (and its schema) rolled back; nothing else is left.
#[tokio::test]
async fn a_failed_first_run_leaves_only_its_failure_row() {
    let db = support::pg_db("fail_first_run");
    let config = config(ExecSettings {
        version_table: mig::config::VersionTable {
            schema: Some("admin".into()),
            ..Default::default()
        },
        ..ExecSettings::default()
    });
    let target = url(db.url());
    let text = failure(upgrade_to(&config, &target, "c").await);
    assert!(
        text.contains(
            "the database now: the version table does not exist; rolled back: \
                       `upgrade  -> a`, `upgrade a -> b`, `upgrade b -> c`"
        ),
        "{text}"
    );
    assert!(!text.contains("could not be recorded"), "{text}");
    let mut conn = pg(db.url()).await;
    assert_eq!(
        strings_pg(
            &mut conn,
            "SELECT n.nspname || '.' || relname::text FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \
             AND c.relkind = 'r'"
        )
        .await,
        ["admin.mig_history"]
    );
    let rows = engine::history(&config, &target).await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].revision.as_deref(), Some("c"));
    assert!(!rows[0].success);
    assert!(
        rows[0]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("nope"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn transaction_per_migration_keeps_the_revisions_before_the_failure() {
    let db = support::pg_db("fail_per_migration");
    let config = config(ExecSettings {
        transaction_per_migration: true,
        ..ExecSettings::default()
    });
    let target = url(db.url());
    let text = failure(upgrade_to(&config, &target, "c").await);
    assert!(
        text.ends_with(
            "the database now: the version table holds `b`; rolled back: `upgrade b -> c`; \
             committed before the failure: `upgrade  -> a`, `upgrade a -> b`"
        ),
        "{text}"
    );
    let mut conn = pg(db.url()).await;
    assert!(pg_table_exists(&mut conn, "t_b").await);
    assert!(!pg_table_exists(&mut conn, "t_c").await);
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["b"]);
}

#[tokio::test]
async fn sqlite_commits_each_revision_before_the_failure() {
    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    let text = failure(upgrade_to(&config, &target, "c").await);
    let path = file.path().display().to_string();
    assert!(!text.contains(&path));
    insta::assert_snapshot!(text, @r"
    revision `c` failed at `versions/c.sql` line 9, column 1: no such table: nope (code 1)
      statement: INSERT INTO t_c SELECT id FROM nope
    the database now: the version table holds `b`; rolled back: `upgrade b -> c`; committed before the failure: `upgrade  -> a`, `upgrade a -> b`
    ");
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["b"]);
    let mut conn = lite(file.path()).await;
    assert!(strings_lite(
        &mut conn,
        "SELECT name FROM sqlite_master WHERE name = 't_c'"
    )
    .await
    .is_empty());
}

#[tokio::test]
async fn transaction_none_lists_the_statements_that_ran() {
    let db = support::pg_db("fail_autocommit");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let revisions = graph(vec![
        table_rev("a", &[]),
        outside_transaction(rev(
            "b",
            &["a"],
            "CREATE TABLE x1 (id INTEGER);\n  CREATE TABLE x2 (id INTEGER);\nSELECT 1 / 0;\nCREATE TABLE x3 (id INTEGER);",
            "",
        )),
    ]);
    let result = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["a", "b"], heads, "b")
    })
    .await;
    insta::assert_snapshot!(failure(result), @r"
    revision `b` failed at `versions/b.sql` line 10, column 1: division by zero (SQLSTATE 22012)
      statement: SELECT 1 / 0
    the database now: the version table holds `a`; nothing was rolled back; committed before the failure: `upgrade  -> a`
    statements of the failed step that already ran outside a transaction and stay applied:
      line 8, column 1: CREATE TABLE x1 (id INTEGER)
      line 9, column 3: CREATE TABLE x2 (id INTEGER)
    the step is recorded as interrupted: fix the cause and run `mig upgrade --resume`, or repair it by hand and run `mig resolve b --applied|--reverted --reason TEXT`
    ");
    let mut conn = pg(db.url()).await;
    assert!(pg_table_exists(&mut conn, "x1").await);
    assert!(pg_table_exists(&mut conn, "x2").await);
    assert!(!pg_table_exists(&mut conn, "x3").await);
}

#[tokio::test]
async fn a_version_row_mismatch_fails_with_alembics_message() {
    let db = support::pg_db("fail_row_count");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    upgrade_to(&config, &target, "a").await.unwrap();
    let result = engine::stamp(
        &config,
        &target,
        &graph(failing_chain()),
        false,
        |heads: &[String]| {
            assert_eq!(heads, ["a"]);
            Ok::<_, String>(plan(
                &["a"],
                vec![stamp(&["x"], &["b"], vec![upd("x", "b")])],
                &["b"],
            ))
        },
    )
    .await;
    insta::assert_snapshot!(failure(result), @r"
    Online migration expected to match one row when updating 'x' to 'b' in 'alembic_version'; 0 found
      in step `stamp_revision x -> b`
    the database now: the version table holds `a`; rolled back: `stamp_revision x -> b`
    ");
}

/// The URL carries a real password, and the server's message quotes it back: neither the
/// message nor the statement may show it.
#[tokio::test]
async fn no_password_in_the_error() {
    const PASSWORD: &str = "s3cret-pw";
    let db = support::pg_db("fail_password");
    let mut admin = pg(db.url()).await;
    exec_pg(
        &mut admin,
        &format!(
            "DO $$ BEGIN CREATE ROLE mig_online_pw LOGIN PASSWORD '{PASSWORD}'; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
             GRANT ALL ON SCHEMA public TO mig_online_pw"
        ),
    )
    .await;
    let with_password = db
        .url()
        .replacen("mig@", &format!("mig_online_pw:{PASSWORD}@"), 1);
    assert!(with_password.contains(PASSWORD), "{with_password}");
    let config = config(ExecSettings::default());
    let target = url(&with_password);
    let revisions = graph(vec![rev(
        "a",
        &[],
        &format!("SELECT '{PASSWORD}'::integer;"),
        "",
    )]);
    let result = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["a"], heads, "a")
    })
    .await;
    let text = failure(result);
    assert!(!text.contains(PASSWORD), "{text}");
    insta::assert_snapshot!(text, @r#"
    revision `a` failed at `versions/a.sql` line 8, column 1: invalid input syntax for type integer: "***" (SQLSTATE 22P02)
      statement: SELECT '***'::integer
      the server points at line 8, column 8
    the database now: the version table does not exist; rolled back: `upgrade  -> a`
    "#);
}

#[tokio::test]
async fn the_servers_detail_and_hint_are_shown() {
    let db = support::pg_db("fail_detail");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let revisions = graph(vec![
        rev(
            "a",
            &[],
            "CREATE TABLE u (id INTEGER PRIMARY KEY);\nINSERT INTO u VALUES (1), (1);",
            "",
        ),
        rev("b", &[], "SELECT no_such_function(1);", ""),
    ]);
    let detail = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["a"], heads, "a")
    })
    .await;
    insta::assert_snapshot!(failure(detail), @r#"
    revision `a` failed at `versions/a.sql` line 9, column 1: duplicate key value violates unique constraint "u_pkey" (SQLSTATE 23505)
      statement: INSERT INTO u VALUES (1), (1)
      detail: Key (id)=(1) already exists.
    the database now: the version table does not exist; rolled back: `upgrade  -> a`
    "#);
    let hint = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["b"], heads, "b")
    })
    .await;
    insta::assert_snapshot!(failure(hint), @r"
    revision `b` failed at `versions/b.sql` line 8, column 1: function no_such_function(integer) does not exist (SQLSTATE 42883)
      statement: SELECT no_such_function(1)
      the server points at line 8, column 8
      hint: No function matches the given name and argument types. You might need to add explicit type casts.
    the database now: the version table does not exist; rolled back: `upgrade  -> b`
    ");
}
