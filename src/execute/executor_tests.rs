//! The executor's event order, refusals and progress on failure, observed through a
//! recording sink that can play the online role and fail on demand.

use crate::config::ExecSettings;
use crate::dialect::Dialect;
use crate::revision::plan::Plan;
use crate::revision::{Downgrade, Revision};

use super::test_support::*;
use super::*;

#[derive(Debug, thiserror::Error)]
#[error("boom at `{0}`")]
struct Boom(String);

/// Records every event as a line; fails on the first event whose line contains `fail_on`.
struct Recorder {
    policy: VersionTablePolicy,
    events: Vec<String>,
    /// `path:line:column` of each body statement.
    positions: Vec<String>,
    fail_on: Option<&'static str>,
    rollback_fails: bool,
}

impl Recorder {
    fn online() -> Recorder {
        Recorder {
            policy: VersionTablePolicy::AtStartIfMissing,
            events: Vec::new(),
            positions: Vec::new(),
            fail_on: None,
            rollback_fails: false,
        }
    }

    fn failing_on(fail_on: &'static str) -> Recorder {
        Recorder {
            fail_on: Some(fail_on),
            ..Recorder::online()
        }
    }

    fn record(&mut self, line: String) -> Result<(), Boom> {
        if self.fail_on.is_some_and(|f| line.contains(f)) {
            self.events.push(format!("FAILED {line}"));
            return Err(Boom(line));
        }
        self.events.push(line);
        Ok(())
    }
}

impl Sink for Recorder {
    type Error = Boom;

    fn version_table_policy(&self) -> VersionTablePolicy {
        self.policy
    }

    async fn setup(&mut self, statement: &SetupStatement<'_>) -> Result<(), Boom> {
        self.record(format!("setup {}", statement.sql))
    }

    async fn create_version_table(&mut self, create: &CreateVersionTable<'_>) -> Result<(), Boom> {
        self.record(format!("create table {}", create.table.table))
    }

    async fn begin(&mut self) -> Result<(), Boom> {
        self.record("begin".into())
    }

    async fn commit(&mut self) -> Result<(), Boom> {
        self.record("commit".into())
    }

    async fn step_started(&mut self, step: &StepEvent<'_>) -> Result<(), Boom> {
        self.record(format!("Running {}", step.log_line()))
    }

    async fn execute(&mut self, statement: &BodyStatement<'_>) -> Result<(), Boom> {
        let tx = if statement.in_transaction {
            ""
        } else {
            " (autocommit)"
        };
        self.positions.push(format!(
            "{}:{}:{}",
            statement.path.display(),
            statement.line,
            statement.column
        ));
        self.record(format!("exec {}{tx}", statement.text))
    }

    async fn version_write(&mut self, write: &VersionWrite<'_>) -> Result<(), Boom> {
        self.record(format!("version {}", write.sql))
    }

    async fn step_finished(&mut self, step: &StepEvent<'_>) -> Result<(), Boom> {
        self.record(format!("done {}", step.short_log()))
    }

    async fn rollback(&mut self) -> Result<(), Boom> {
        self.events.push("rollback".into());
        if self.rollback_fails {
            return Err(Boom("rollback".into()));
        }
        Ok(())
    }
}

async fn run(
    dialect: Dialect,
    settings: &ExecSettings,
    plan: &Plan,
    revisions: &[Revision],
    sink: &mut Recorder,
) -> Result<Report, ExecError<Boom>> {
    Executor::new(dialect, settings)
        .run(plan, revisions, sink)
        .await
}

#[tokio::test]
async fn online_postgresql_one_transaction_creates_the_table_inside_it() {
    let mut sink = Recorder::online();
    let report = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &linear(),
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
        &linear_upgrade(),
        &linear(),
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
        &linear(),
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
        &linear(),
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
        &linear(),
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
async fn irreversible_downgrade_is_refused_before_anything_runs() {
    let mut revisions = linear();
    revisions[0].downgrade = Downgrade::Irreversible { line: 11 };
    let plan = plan(
        &["bbb222"],
        vec![
            down(
                "bbb222",
                &["bbb222"],
                &["aaa111"],
                vec![upd("bbb222", "aaa111")],
            ),
            down("aaa111", &["aaa111"], &[], vec![del("aaa111")]),
        ],
        &[],
    );
    let mut sink = Recorder::online();
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &plan,
        &revisions,
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
    let mut revisions = linear();
    revisions[0].downgrade = Downgrade::Irreversible { line: 11 };
    let mut sink = Recorder::online();
    run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &revisions,
        &mut sink,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn unknown_revision_is_refused() {
    let mut sink = Recorder::online();
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &linear()[1..],
        &mut sink,
    )
    .await
    .unwrap_err();
    assert!(sink.events.is_empty());
    insta::assert_snapshot!(error, @"the plan names revision `aaa111`, which is not loaded");
}

#[tokio::test]
async fn upgrade_step_without_revision_is_refused() {
    let mut plan = linear_upgrade();
    plan.steps[1].revision = None;
    let mut sink = Recorder::online();
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &plan,
        &linear(),
        &mut sink,
    )
    .await
    .unwrap_err();
    assert!(sink.events.is_empty());
    insta::assert_snapshot!(error, @"step 1 of the plan is an upgrade or downgrade without a revision");
}

#[tokio::test]
async fn failing_statement_in_one_transaction_reports_nothing_committed() {
    let mut sink = Recorder::failing_on("ADD COLUMN bar");
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &linear(),
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
        &linear_upgrade(),
        &linear(),
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
    let mut revisions = linear();
    revisions[1] = outside_transaction(rev(
        "bbb222",
        &["aaa111"],
        "two indexes",
        &[
            "CREATE INDEX CONCURRENTLY a ON foo (id)",
            "CREATE INDEX CONCURRENTLY b ON foo (bar)",
        ],
        &[],
    ));
    let mut sink = Recorder::failing_on("CONCURRENTLY b");
    let error = run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &revisions,
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
        &linear_upgrade(),
        &linear(),
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

#[tokio::test]
async fn statement_lines_are_file_lines() {
    let mut revisions = linear();
    revisions[0].upgrade.sql = "CREATE TABLE a (id INT);\n\nCREATE TABLE b (id INT);".into();
    revisions[0].upgrade.line = 12;
    let mut sink = Recorder::online();
    run(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &revisions,
        &mut sink,
    )
    .await
    .unwrap();
    assert_eq!(sink.positions[0], "versions/aaa111.sql:12:1");
    assert_eq!(sink.positions[2], "versions/bbb222.sql:8:1");
}

// A live sink may run the executor on a multi-threaded runtime: the run future must be
// `Send` whenever the sink and the lookup are.
#[test]
fn run_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let settings = ExecSettings::default();
    let executor = Executor::new(Dialect::Postgresql, &settings);
    let (plan, revisions) = (linear_upgrade(), linear());
    let mut sink = OfflineSink::new(Dialect::Postgresql);
    let future = executor.run(&plan, revisions.as_slice(), &mut sink);
    assert_send(&future);
}
