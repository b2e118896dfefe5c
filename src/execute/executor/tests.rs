//! The executor's event order ([`events`]), refusals and progress on failure
//! ([`failures`]), observed through a recording sink that can play the online role and
//! fail on demand.

mod events;
mod failures;

use crate::config::ExecSettings;
use crate::dialect::Dialect;
use crate::execute::{
    BodyStatement, CreateVersionTable, ExecError, Executor, RunReport, SetupStatement, Sink,
    StepEvent, VersionTablePolicy, VersionWrite,
};
use crate::revision::plan::Plan;

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
    plan: &Plan<'_>,
    sink: &mut Recorder,
) -> Result<RunReport, ExecError<Boom>> {
    Executor::new(dialect, settings).run(plan, sink).await
}
