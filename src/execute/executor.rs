//! The executor: walks a [`Plan`] into a [`Sink`], deciding transaction boundaries,
//! version-table creation and statement order the way Alembic's `MigrationContext` does.
//! Each step carries its revision, so the executor walks the plan alone. It validates
//! the whole plan (downgrades reversible, bodies splittable) before the first event, so
//! a refused plan runs nothing. It never renders text itself beyond asking
//! [`crate::dialect`] for statements, and never touches a database.

use std::time::{Duration, Instant};

use crate::config::ExecSettings;
use crate::db::VersionSql;
use crate::dialect::Dialect;
use crate::revision::plan::{Action, Plan, Step, StepKind};
use crate::revision::{Downgrade, Revision, Section, TransactionMode};
use crate::sql::split_statements;

use super::error::{shorten, ExecError, FailedAt, Progress, SinkFailure};
use super::sink::{
    BodyStatement, CreateVersionTable, SetupKind, SetupStatement, Sink, StepEvent,
    VersionTablePolicy, VersionWrite,
};

/// What a successful run did, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunReport {
    pub steps: Vec<StepReport>,
}

/// One completed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// Index of the step in the plan.
    pub index: usize,
    pub kind: StepKind,
    pub revision: Option<String>,
    /// Body statements run.
    pub statements: usize,
    /// Time from the step's start to its last version write (commit not included).
    pub duration: Duration,
}

/// Walks plans for one dialect and one set of settings.
#[derive(Debug, Clone)]
pub struct Executor<'a> {
    dialect: Dialect,
    settings: &'a ExecSettings,
    version_sql: VersionSql,
}

/// A step with everything it needs, checked before anything runs.
struct Prepared<'p> {
    step: &'p Step<'p>,
    statements: Vec<Located<'p>>,
    outside_transaction: bool,
}

/// A body statement with its position in the file.
struct Located<'p> {
    text: &'p str,
    line: usize,
    column: usize,
}

/// What the run has done so far, turned into [`Progress`] on failure.
#[derive(Default)]
struct RunState {
    heads: Vec<String>,
    completed: usize,
    committed: usize,
    committed_heads: Vec<String>,
    failed_step: Option<usize>,
    statements_done: usize,
    outside_transaction: bool,
    /// Reused for every version-table statement.
    sql: String,
}

impl RunState {
    fn committed(&mut self) {
        self.committed = self.completed;
        self.committed_heads = self.heads.clone();
    }
}

type Failure<E> = (FailedAt, E);

impl<'a> Executor<'a> {
    /// An executor rendering statements for `dialect` with `settings` (version table,
    /// `search_path`, `transaction_per_migration`).
    pub fn new(dialect: Dialect, settings: &'a ExecSettings) -> Executor<'a> {
        Executor {
            dialect,
            settings,
            version_sql: VersionSql::new(dialect, &settings.version_table),
        }
    }

    /// Runs `plan` into `sink`. Refuses the plan before any event when a downgrade is
    /// irreversible or a body cannot be split; on a sink failure, rolls back and reports
    /// the progress.
    pub async fn run<S: Sink>(
        &self,
        plan: &Plan<'_>,
        sink: &mut S,
    ) -> Result<RunReport, ExecError<S::Error>> {
        let prepared = self.prepare(plan)?;
        let mut state = RunState {
            heads: plan.start_heads.clone(),
            committed_heads: plan.start_heads.clone(),
            ..RunState::default()
        };
        match self.walk(plan, &prepared, sink, &mut state).await {
            Ok(report) => Ok(report),
            Err((at, error)) => {
                let rollback_error = sink.rollback().await.err().map(|e| e.to_string());
                Err(ExecError::Sink(Box::new(SinkFailure {
                    at,
                    error,
                    progress: Progress {
                        total_steps: plan.steps.len(),
                        completed_steps: state.completed,
                        committed_steps: state.committed,
                        committed_heads: state.committed_heads,
                        failed_step: state.failed_step,
                        statements_done: state.statements_done,
                        outside_transaction: state.outside_transaction,
                        rollback_error,
                    },
                })))
            }
        }
    }

    fn prepare<'p, E>(&self, plan: &'p Plan<'_>) -> Result<Vec<Prepared<'p>>, ExecError<E>> {
        let mut prepared = Vec::with_capacity(plan.steps.len());
        for step in &plan.steps {
            let (revision, section, name) = match step.action {
                Action::Stamp => {
                    prepared.push(Prepared {
                        step,
                        statements: Vec::new(),
                        outside_transaction: false,
                    });
                    continue;
                }
                Action::Upgrade(revision) => (revision, &revision.upgrade, "upgrade"),
                Action::Downgrade(revision) => match &revision.downgrade {
                    Downgrade::Sql(section) => (revision, section, "downgrade"),
                    Downgrade::Irreversible { line } => {
                        return Err(ExecError::Irreversible {
                            revision: revision.id.clone(),
                            path: revision.path.clone(),
                            line: *line,
                        })
                    }
                },
            };
            prepared.push(Prepared {
                step,
                statements: self.split(revision, section, name)?,
                outside_transaction: revision.transaction == TransactionMode::None,
            });
        }
        Ok(prepared)
    }

    fn split<'p, E>(
        &self,
        revision: &Revision,
        section: &'p Section,
        name: &'static str,
    ) -> Result<Vec<Located<'p>>, ExecError<E>> {
        // Splitter positions are relative to the section's text, which starts on
        // `section.line` of the file.
        let to_file_line = |line: usize| section.line.saturating_sub(1) + line;
        let statements =
            split_statements(&section.sql, self.dialect).map_err(|e| ExecError::Split {
                revision: revision.id.clone(),
                section: name,
                path: revision.path.clone(),
                line: to_file_line(e.line),
                column: e.column,
                message: e.message,
            })?;
        Ok(statements
            .into_iter()
            .map(|s| Located {
                line: to_file_line(s.line),
                column: s.column,
                text: s.text,
            })
            .collect())
    }

    async fn walk<S: Sink>(
        &self,
        plan: &Plan<'_>,
        prepared: &[Prepared<'_>],
        sink: &mut S,
        state: &mut RunState,
    ) -> Result<RunReport, Failure<S::Error>> {
        let policy = sink.version_table_policy();
        let from_base = plan.start_heads.is_empty();
        let creates_table = from_base
            && match policy {
                VersionTablePolicy::BeforeStepFromBase => !plan.steps.is_empty(),
                VersionTablePolicy::AtStartIfMissing => true,
            };
        self.setup(sink, creates_table).await?;

        // Alembic: one transaction per run on transactional-DDL dialects unless
        // `transaction_per_migration`; otherwise one per step.
        let per_step = self.settings.transaction_per_migration || !self.dialect.transactional_ddl();
        if !per_step {
            sink.begin().await.map_err(|e| (FailedAt::Begin, e))?;
        }
        if policy == VersionTablePolicy::AtStartIfMissing && from_base {
            self.create_version_table(sink).await?;
        }

        let mut report = RunReport::default();
        for (index, step) in prepared.iter().enumerate() {
            if per_step {
                sink.begin().await.map_err(|e| (FailedAt::Begin, e))?;
            }
            if policy == VersionTablePolicy::BeforeStepFromBase && state.heads.is_empty() {
                self.create_version_table(sink).await?;
            }
            report
                .steps
                .push(self.step(index, step, sink, state).await?);
            if per_step {
                sink.commit().await.map_err(|e| (FailedAt::Commit, e))?;
                state.committed();
            }
        }

        if !per_step {
            sink.commit().await.map_err(|e| (FailedAt::Commit, e))?;
            state.committed();
        }
        Ok(report)
    }

    /// mig's session statements, before Alembic's output.
    async fn setup<S: Sink>(
        &self,
        sink: &mut S,
        creates_table: bool,
    ) -> Result<(), Failure<S::Error>> {
        let schema = self.settings.version_table.schema.as_deref();
        let create_schema = schema
            .filter(|_| creates_table)
            .and_then(|schema| self.dialect.create_schema_sql(schema));
        let search_path = self
            .settings
            .search_path
            .as_ref()
            .and_then(|path| self.dialect.search_path_sql(path));
        for (kind, sql) in [
            (SetupKind::CreateSchema, create_schema),
            (SetupKind::SearchPath, search_path),
        ] {
            if let Some(sql) = sql {
                sink.setup(&SetupStatement { kind, sql: &sql })
                    .await
                    .map_err(|e| (FailedAt::Setup(kind), e))?;
            }
        }
        Ok(())
    }

    async fn create_version_table<S: Sink>(&self, sink: &mut S) -> Result<(), Failure<S::Error>> {
        let sql = self.version_sql.create_table();
        sink.create_version_table(&CreateVersionTable {
            table: &self.settings.version_table,
            sql: &sql,
        })
        .await
        .map_err(|e| (FailedAt::CreateVersionTable, e))
    }

    async fn step<S: Sink>(
        &self,
        index: usize,
        prepared: &Prepared<'_>,
        sink: &mut S,
        state: &mut RunState,
    ) -> Result<StepReport, Failure<S::Error>> {
        let started = Instant::now();
        let event = StepEvent {
            index,
            step: prepared.step,
            outside_transaction: prepared.outside_transaction,
            statements: prepared.statements.len(),
        };
        state.failed_step = Some(index);
        state.statements_done = 0;
        state.outside_transaction = prepared.outside_transaction;

        sink.step_started(&event).await.map_err(|e| {
            (
                FailedAt::StepStart {
                    step: event.short_log(),
                },
                e,
            )
        })?;

        if let Some(revision) = prepared.step.revision() {
            // Alembic's `autocommit_block()`: commit what came before, run the body
            // outside any transaction, then open a new one for the version writes.
            if prepared.outside_transaction {
                sink.commit().await.map_err(|e| (FailedAt::Commit, e))?;
                state.committed();
            }
            for (statement_index, statement) in prepared.statements.iter().enumerate() {
                let body = BodyStatement {
                    step: index,
                    revision,
                    path: &revision.path,
                    index: statement_index,
                    line: statement.line,
                    column: statement.column,
                    text: statement.text,
                    in_transaction: !prepared.outside_transaction,
                };
                sink.execute(&body).await.map_err(|e| {
                    (
                        FailedAt::Statement {
                            revision: revision.id.clone(),
                            path: revision.path.clone(),
                            line: statement.line,
                            column: statement.column,
                            statement: shorten(statement.text),
                        },
                        e,
                    )
                })?;
                state.statements_done += 1;
            }
            if prepared.outside_transaction {
                sink.begin().await.map_err(|e| (FailedAt::Begin, e))?;
            }
        }

        let mut sql = std::mem::take(&mut state.sql);
        for op in &prepared.step.ops {
            sql.clear();
            self.version_sql.write_op(op, &mut sql);
            let write = VersionWrite {
                step: index,
                op,
                sql: &sql,
                table: &self.settings.version_table,
            };
            sink.version_write(&write).await.map_err(|e| {
                (
                    FailedAt::VersionWrite {
                        step: event.short_log(),
                        sql: sql.clone(),
                    },
                    e,
                )
            })?;
            op.apply_to(&mut state.heads);
        }
        state.sql = sql;
        let duration = started.elapsed();

        sink.step_finished(&event).await.map_err(|e| {
            (
                FailedAt::StepFinish {
                    step: event.short_log(),
                },
                e,
            )
        })?;
        state.completed += 1;
        state.failed_step = None;
        state.statements_done = 0;
        state.outside_transaction = false;

        Ok(StepReport {
            index,
            kind: prepared.step.kind(),
            revision: prepared.step.revision().map(|r| r.id.clone()),
            statements: prepared.statements.len(),
            duration,
        })
    }
}

#[cfg(test)]
mod tests;
