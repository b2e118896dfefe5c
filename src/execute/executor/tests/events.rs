//! Event order: transaction boundaries, version-table creation, setup statements,
//! stamp steps, statement positions.

use super::*;
use crate::execute::OfflineSink;
use crate::revision::fixture::*;

#[tokio::test]
async fn online_postgresql_one_transaction_creates_the_table_inside_it() {
    let mut sink = Recorder::online();
    let report = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(report.steps.len(), 2);
    assert_eq!(report.steps[0].statements, 1);
    assert_eq!(report.steps[1].revision.as_deref(), Some("bbb222"));
    insta::assert_snapshot!(sink.events.join("\n"), @r"
    begin
    create table alembic_version
    Running upgrade  -> aaa111, create foo
    exec CREATE TABLE foo (id INTEGER PRIMARY KEY)
    version INSERT INTO alembic_version (version_num) VALUES ('aaa111') RETURNING alembic_version.version_num
    done upgrade  -> aaa111
    Running upgrade aaa111 -> bbb222, add bar
    exec ALTER TABLE foo ADD COLUMN bar VARCHAR(10)
    version UPDATE alembic_version SET version_num='bbb222' WHERE alembic_version.version_num = 'aaa111'
    done upgrade aaa111 -> bbb222
    commit
    ");
}

#[tokio::test]
async fn online_sqlite_commits_per_step_and_creates_the_table_first() {
    let mut sink = Recorder::online();
    run(
        Dialect::Sqlite,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
        &mut sink,
    )
    .await
    .unwrap();
    let boundaries: Vec<&str> = sink
        .events
        .iter()
        .map(String::as_str)
        .filter(|e| {
            matches!(*e, "begin" | "commit") || e.starts_with("create") || e.starts_with("Running")
        })
        .collect();
    assert_eq!(
        boundaries,
        [
            "create table alembic_version",
            "begin",
            "Running upgrade  -> aaa111, create foo",
            "commit",
            "begin",
            "Running upgrade aaa111 -> bbb222, add bar",
            "commit",
        ]
    );
}

#[tokio::test]
async fn online_creates_schema_table_and_search_path_even_without_steps() {
    let mut settings = ExecSettings::default();
    settings.version_table.schema = Some("zero_admin".into());
    settings.search_path = Some("zero_admin, public".into());
    let mut sink = Recorder::online();
    run(
        Dialect::Postgresql,
        &settings,
        &plan(&[], vec![], &[]),
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(
        sink.events,
        [
            "setup CREATE SCHEMA IF NOT EXISTS zero_admin",
            "setup SET search_path TO zero_admin, public",
            "begin",
            "create table alembic_version",
            "commit",
        ]
    );
}

#[tokio::test]
async fn offline_policy_creates_nothing_for_an_empty_plan() {
    let mut settings = ExecSettings::default();
    settings.version_table.schema = Some("zero_admin".into());
    let mut sink = Recorder {
        policy: VersionTablePolicy::BeforeStepFromBase,
        ..Recorder::online()
    };
    run(
        Dialect::Postgresql,
        &settings,
        &plan(&[], vec![], &[]),
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(sink.events, ["begin", "commit"]);
}

#[tokio::test]
async fn stamp_steps_log_without_message_and_run_no_body() {
    let mut sink = Recorder::online();
    let plan = plan(
        &["aaa111"],
        vec![stamp(
            &["aaa111"],
            &["bbb222"],
            vec![upd("aaa111", "bbb222")],
        )],
        &["bbb222"],
    );
    let report = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &plan,
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(report.steps[0].statements, 0);
    assert_eq!(
        sink.events,
        [
            "begin",
            "Running stamp_revision aaa111 -> bbb222",
            "version UPDATE alembic_version SET version_num='bbb222' WHERE alembic_version.version_num = 'aaa111'",
            "done stamp_revision aaa111 -> bbb222",
            "commit",
        ]
    );
}

#[tokio::test]
async fn statement_lines_are_file_lines() {
    let mut revisions = foo_bar();
    revisions[0].upgrade.sql = "CREATE TABLE a (id INT);\n\nCREATE TABLE b (id INT);".into();
    revisions[0].upgrade.line = 12;
    let mut sink = Recorder::online();
    run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&revisions),
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(sink.positions[0], "versions/aaa111.sql:12:1");
    assert_eq!(sink.positions[2], "versions/bbb222.sql:8:1");
}

// A live sink may run the executor on a multi-threaded runtime: the run future must be
// `Send` whenever the sink is.
#[test]
fn run_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let settings = ExecSettings::default();
    let executor = Executor::new(Dialect::Postgresql, &settings);
    let revisions = foo_bar();
    let plan = foo_bar_upgrade(&revisions);
    let mut sink = OfflineSink::new(Dialect::Postgresql);
    let future = executor.run(&plan, &mut sink);
    assert_send(&future);
}
