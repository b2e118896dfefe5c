//! Refused plans (nothing runs) and sink failures (rollback, progress, messages).

use super::*;
use crate::revision::fixture::*;
use crate::revision::Downgrade;

#[tokio::test]
async fn irreversible_downgrade_is_refused_before_anything_runs() {
    let mut revisions = foo_bar();
    revisions[0].downgrade = Downgrade::Irreversible { line: 11 };
    let mut sink = Recorder::online();
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_downgrade(&revisions),
        &mut sink,
    )
    .await
    .unwrap_err();
    assert!(sink.events.is_empty(), "{:?}", sink.events);
    assert!(error.progress().is_none());
    insta::assert_snapshot!(error, @"revision `aaa111` cannot be downgraded: its downgrade is marked irreversible (`versions/aaa111.sql`, line 11)");
}

#[tokio::test]
async fn irreversible_revision_still_upgrades() {
    let mut revisions = foo_bar();
    revisions[0].downgrade = Downgrade::Irreversible { line: 11 };
    let mut sink = Recorder::online();
    run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&revisions),
        &mut sink,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn failing_statement_in_one_transaction_reports_nothing_committed() {
    let mut sink = Recorder::failing_on("ADD COLUMN bar");
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
        &mut sink,
    )
    .await
    .unwrap_err();
    assert_eq!(sink.events.last().map(String::as_str), Some("rollback"));
    let progress = error.progress().unwrap();
    assert_eq!(progress.completed_steps, 1);
    assert_eq!(progress.committed_steps, 0);
    assert!(progress.committed_heads.is_empty());
    assert_eq!(progress.failed_step, Some(1));
    insta::assert_snapshot!(error, @"revision `bbb222` failed at `versions/bbb222.sql` line 8, column 1 (`ALTER TABLE foo ADD COLUMN bar VARCHAR(10)`): boom at `exec ALTER TABLE foo ADD COLUMN bar VARCHAR(10)`; 1 of 2 steps completed, 0 committed; version table: no revision recorded");
}

#[tokio::test]
async fn failing_statement_per_step_keeps_the_committed_steps() {
    let mut sink = Recorder::failing_on("ADD COLUMN bar");
    let error = run(
        Dialect::Sqlite,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
        &mut sink,
    )
    .await
    .unwrap_err();
    let progress = error.progress().unwrap();
    assert_eq!(progress.committed_steps, 1);
    assert_eq!(progress.committed_heads, ["aaa111"]);
    assert!(error
        .to_string()
        .ends_with("1 of 2 steps completed, 1 committed; version table: `aaa111`"));
}

#[tokio::test]
async fn failure_outside_a_transaction_says_which_statements_stay() {
    let mut revisions = foo_bar();
    revisions[1] = rev("bbb222", &["aaa111"])
        .sql(
            "two indexes",
            &[
                "CREATE INDEX CONCURRENTLY a ON foo (id)",
                "CREATE INDEX CONCURRENTLY b ON foo (bar)",
            ],
            &[],
        )
        .outside_transaction();
    let mut sink = Recorder::failing_on("CONCURRENTLY b");
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&revisions),
        &mut sink,
    )
    .await
    .unwrap_err();
    insta::assert_snapshot!(sink.events.join("\n"), @r"
    begin
    create table alembic_version
    Running upgrade  -> aaa111, create foo
    exec CREATE TABLE foo (id INTEGER PRIMARY KEY)
    version INSERT INTO alembic_version (version_num) VALUES ('aaa111') RETURNING alembic_version.version_num
    done upgrade  -> aaa111
    Running upgrade aaa111 -> bbb222, two indexes
    commit
    exec CREATE INDEX CONCURRENTLY a ON foo (id) (autocommit)
    FAILED exec CREATE INDEX CONCURRENTLY b ON foo (bar) (autocommit)
    rollback
    ");
    let progress = error.progress().unwrap();
    assert_eq!(progress.committed_steps, 1);
    assert_eq!(progress.committed_heads, ["aaa111"]);
    assert_eq!(progress.statements_done, 1);
    assert!(progress.outside_transaction);
    assert!(error.to_string().ends_with(
        "; 1 statement(s) of the failed step ran outside a transaction and stay applied"
    ));
}

#[tokio::test]
async fn failing_version_write_and_rollback_are_both_reported() {
    let mut sink = Recorder {
        rollback_fails: true,
        ..Recorder::failing_on("SET version_num='bbb222'")
    };
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
        &mut sink,
    )
    .await
    .unwrap_err();
    let progress = error.progress().unwrap();
    assert_eq!(progress.statements_done, 1);
    assert!(!progress.outside_transaction);
    assert_eq!(
        progress.rollback_error.as_deref(),
        Some("boom at `rollback`")
    );
    let message = error.to_string();
    assert!(
        message.starts_with(
            "`upgrade aaa111 -> bbb222` failed writing the version table (`UPDATE alembic_version"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("; rollback also failed: boom at `rollback`"),
        "{message}"
    );
}
