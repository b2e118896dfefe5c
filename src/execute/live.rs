//! The live sink: runs the executor's events against a database through
//! [`crate::db::Connection`], on PostgreSQL, SQLite and MySQL/MariaDB. The executor decides
//! what runs and where transactions begin and end; this sink decides how statements reach
//! the server, records history rows and keeps what the engine needs to explain a failure.
//! It never plans, never takes the migration lock and never builds user-facing error
//! text (the engine does, with the password scrubbed).
//!
//! - PostgreSQL: statements inside a transaction are queued and sent once per step, as
//!   one simple-query message holding the step's body, its version-table writes and the
//!   previous step's history row (see [`batch`] for how a failure is located). `BEGIN`
//!   goes out with the first batch. `CREATE SCHEMA` and the version table's `CREATE TABLE`
//!   open the run's transaction early when the executor emits them before its first
//!   `begin` (with `transaction_per_migration`), so they always commit or roll back with
//!   the first step. `Transaction: none` statements run one by one, each on its own.
//! - SQLite: each step's transaction is `BEGIN IMMEDIATE` (SQLite's write lock, waited
//!   for up to the busy timeout), and the version table is read again under it: when
//!   another process moved it since this run's last commit, the step fails with
//!   [`LiveError::Conflict`] before running anything, and the engine plans again. The
//!   first transaction may have been opened by the caller, who read the heads under it.
//! - PostgreSQL through a transaction pooler: as SQLite, each transaction begins with the
//!   transaction-level migration lock ([`crate::db::PooledBegin`]) and the version table
//!   is read again under it.
//! - MySQL/MariaDB: one transaction per step; DDL commits implicitly, so every statement
//!   of a failed step that completed is reported as having run.
//!
//! History rows (when `history_table` is set) are written inside the step's transaction:
//! on PostgreSQL all rows of a transaction go out as one multi-row `INSERT` just before its
//! `COMMIT`, elsewhere each row right after its step. The table is created, if missing, in
//! the same transaction as the first row. A failed
//! step's row cannot be written here (its transaction is rolled back): the sink keeps the
//! step in [`LiveSink::failed_step`] and the engine writes that row after the rollback.
//!
//! Progress (SPEC section 13): a step whose statements commit one by one (`Transaction:
//! none`, and every step on MySQL) gets a progress row, written before its first
//! statement and updated after each one, each write on its own (committed at once
//! outside a transaction; on MySQL with the next implicit commit). The step's
//! version-table transaction deletes it; so does a rollback when no statement was done.
//! A [`Resume`] skips the statements an interrupted run completed. The [`Interrupt`] flag
//! is checked before each statement.

mod batch;
mod error;
mod interrupt;
mod position;
mod progress;
mod step;
mod transaction;

use std::time::Instant;

use chrono::Utc;

use crate::config::{ExecSettings, VersionTable};
use crate::db::history::{section_checksum, HistoryEntry, HistoryTable};
use crate::db::VersionSql;
use crate::db::{begin_immediate, Connection};
use crate::dialect::Dialect;
use crate::revision::plan::Action;
use crate::revision::Downgrade;

use super::sink::{
    BodyStatement, CreateVersionTable, SetupKind, SetupStatement, Sink, StepEvent,
    VersionTablePolicy, VersionWrite,
};
use batch::{batches, Batch, BodyTag, Tag};

pub use error::{LiveError, ServerError, StatementFailure};
pub use interrupt::Interrupt;
use step::Tracking;
pub use step::{AppliedStep, LiveStart, RanStatement, Resume, StepInProgress};
use transaction::{Durable, Tx};

/// Runs the executor's events against a live database.
#[derive(Debug)]
pub struct LiveSink<'c> {
    conn: &'c mut Connection,
    dialect: Dialect,
    table: VersionTable,
    version_sql: VersionSql,
    history: Option<HistoryTable>,
    operator: String,
    batch: Batch,
    tx: Tx,
    /// Heads as of the last version write sent or queued.
    heads: Vec<String>,
    version_table: bool,
    history_table: bool,
    durable: Durable,
    purge: bool,
    schema_exists: bool,
    session_search_path: Option<String>,
    /// `[mig] search_path` as configured.
    search_path: Option<crate::dialect::SearchPath>,
    /// Through a transaction pooler: how each transaction begins.
    pooled: Option<crate::db::PooledBegin>,
    step: Option<StepInProgress>,
    applied: Vec<AppliedStep>,
    /// History rows of the open transaction not yet queued (PostgreSQL).
    history_rows: Vec<HistoryEntry>,
    /// The progress row of the step in progress, when it has one.
    tracking: Option<Tracking>,
    resume: Option<Resume>,
    interrupt: Option<Interrupt>,
}

impl<'c> LiveSink<'c> {
    /// A sink on `conn` for `settings`, starting from what the caller found.
    pub fn new(conn: &'c mut Connection, settings: &ExecSettings, start: LiveStart) -> Self {
        let dialect = conn.dialect();
        LiveSink {
            dialect,
            table: settings.version_table.clone(),
            version_sql: VersionSql::new(dialect, &settings.version_table),
            history: HistoryTable::new(dialect, settings),
            operator: start.operator,
            batch: Batch::default(),
            tx: if start.transaction_open {
                Tx::Open { announced: false }
            } else {
                Tx::Closed
            },
            heads: start.heads.clone(),
            version_table: start.version_table_exists,
            history_table: start.history_table_exists,
            durable: Durable {
                heads: start.heads,
                version_table: start.version_table_exists,
                history_table: start.history_table_exists,
            },
            purge: start.purge,
            schema_exists: start.schema_exists,
            session_search_path: start.session_search_path,
            search_path: settings.search_path.clone(),
            pooled: start.pooled,
            step: None,
            applied: Vec::new(),
            history_rows: Vec::new(),
            tracking: None,
            resume: None,
            interrupt: None,
            conn,
        }
    }

    /// Continues an interrupted step: its first `resume.skip` statements are not run.
    pub fn resume(mut self, resume: Option<Resume>) -> Self {
        self.resume = resume;
        self
    }

    /// Stops before the next statement once `interrupt` is raised.
    pub fn interrupt(mut self, interrupt: Option<Interrupt>) -> Self {
        self.interrupt = interrupt;
        self
    }

    /// Commits a transaction the executor left open (one the sink or its caller opened
    /// early, when the plan had no step to close it). Call after a successful run.
    pub async fn finish(&mut self) -> Result<(), LiveError> {
        if matches!(self.tx, Tx::Open { .. }) {
            self.commit_now().await?;
        }
        self.flush().await
    }

    /// The steps completed so far, in order.
    pub fn applied(&self) -> &[AppliedStep] {
        &self.applied
    }

    /// The heads as of the last commit.
    pub fn committed_heads(&self) -> &[String] {
        &self.durable.heads
    }

    /// The step that was in progress when the run failed (`None` when the failure came
    /// between steps).
    pub fn failed_step(&self) -> Option<&StepInProgress> {
        self.step.as_ref()
    }

    fn table_name(&self) -> String {
        self.table.table.clone()
    }

    /// Whether queued statements wait for a batch (PostgreSQL inside a transaction) or
    /// go out at once.
    fn batching(&self) -> bool {
        batches(self.dialect) && matches!(self.tx, Tx::Open { .. })
    }

    async fn flush(&mut self) -> Result<(), LiveError> {
        let table = self.table_name();
        self.batch.flush(self.conn, &table).await
    }

    async fn send_unless_batching(&mut self) -> Result<(), LiveError> {
        if self.batching() {
            Ok(())
        } else {
            self.flush().await
        }
    }
}

impl Sink for LiveSink<'_> {
    type Error = LiveError;

    fn version_table_policy(&self) -> VersionTablePolicy {
        VersionTablePolicy::AtStartIfMissing
    }

    async fn setup(&mut self, statement: &SetupStatement<'_>) -> Result<(), LiveError> {
        match statement.kind {
            SetupKind::SearchPath => {
                if self.session_search_path.as_deref() != Some(statement.sql) {
                    // Configured text never goes into a batch: set it as a parameter.
                    self.flush().await?;
                    if let (Connection::Postgres(pg), Some(path)) =
                        (&mut *self.conn, &self.search_path)
                    {
                        crate::db::set_search_path(pg, path, false)
                            .await
                            .map_err(LiveError::Db)?;
                    }
                    self.session_search_path = Some(statement.sql.to_string());
                }
                return Ok(());
            }
            SetupKind::CreateSchema if self.schema_exists => return Ok(()),
            SetupKind::CreateSchema => self.open_early(),
        }
        self.batch.push(statement.sql, Tag::Setup(statement.kind));
        self.send_unless_batching().await
    }

    async fn create_version_table(
        &mut self,
        create: &CreateVersionTable<'_>,
    ) -> Result<(), LiveError> {
        self.open_early();
        if !self.version_table {
            self.batch.push(create.sql, Tag::CreateVersionTable);
            self.version_table = true;
        }
        self.queue_purge();
        self.send_unless_batching().await
    }

    async fn begin(&mut self) -> Result<(), LiveError> {
        match self.tx {
            Tx::Open { .. } => {
                self.tx = Tx::Open { announced: true };
            }
            Tx::Closed => match self.conn {
                Connection::Sqlite(lite) => {
                    begin_immediate(lite).await.map_err(LiveError::Db)?;
                    self.tx = Tx::Open { announced: true };
                    self.check_unchanged().await?;
                }
                Connection::Postgres(pg) if self.pooled.is_some() => {
                    if let Some(pooled) = &self.pooled {
                        pooled.begin(pg).await.map_err(LiveError::Db)?;
                    }
                    self.tx = Tx::Open { announced: true };
                    self.check_unchanged().await?;
                }
                _ => {
                    self.create_mysql_history_table();
                    self.batch.push("BEGIN", Tag::Begin);
                    self.tx = Tx::Open { announced: true };
                }
            },
        }
        self.queue_purge();
        self.send_unless_batching().await
    }

    async fn commit(&mut self) -> Result<(), LiveError> {
        if self.tx == Tx::Closed {
            return self.flush().await;
        }
        self.commit_now().await
    }

    async fn step_started(&mut self, step: &StepEvent<'_>) -> Result<(), LiveError> {
        tracing::info!(target: "mig", "Running {}", step.log_line());
        let checksum = match step.step.action {
            Action::Upgrade(revision) => Some(section_checksum(&revision.upgrade)),
            Action::Downgrade(revision) => match &revision.downgrade {
                Downgrade::Sql(section) => Some(section_checksum(section)),
                Downgrade::Irreversible { .. } => None,
            },
            Action::Stamp => None,
        };
        let revision = match step.revision() {
            Some(revision) => Some(revision.id.clone()),
            None if step.step.to.is_empty() => None,
            None => Some(step.step.to.join(", ")),
        };
        self.step = Some(StepInProgress {
            index: step.index,
            kind: step.step.kind(),
            revision,
            path: step.revision().map(|r| r.path.clone()),
            log: step.short_log(),
            checksum,
            started_at: Utc::now(),
            started: Instant::now(),
            statements: 0,
            ran: Vec::new(),
        });
        self.tracking = self.tracking_for(step);
        Ok(())
    }

    async fn execute(&mut self, statement: &BodyStatement<'_>) -> Result<(), LiveError> {
        if self.interrupt.as_ref().is_some_and(|i| i.code().is_some()) {
            return Err(LiveError::Interrupted);
        }
        if self.skips(statement) {
            return Ok(());
        }
        self.progress_before(statement).await?;
        self.batch.push(
            statement.text,
            Tag::Body(Box::new(BodyTag {
                revision: statement.revision.id.clone(),
                path: statement.path.to_path_buf(),
                index: statement.index,
                line: statement.line,
                column: statement.column,
                in_transaction: statement.in_transaction,
            })),
        );
        let alone = !self.batching();
        if alone {
            self.flush().await?;
        }
        if let Some(step) = &mut self.step {
            step.statements += 1;
            if alone {
                step.ran.push(RanStatement {
                    line: statement.line,
                    column: statement.column,
                    statement: statement.text.to_string(),
                    in_transaction: statement.in_transaction,
                });
            }
        }
        self.progress_after(statement).await
    }

    async fn version_write(&mut self, write: &VersionWrite<'_>) -> Result<(), LiveError> {
        self.batch
            .push(write.sql, Tag::VersionWrite(write.op.clone()));
        write.op.apply_to(&mut self.heads);
        self.send_unless_batching().await
    }

    async fn step_finished(&mut self, _step: &StepEvent<'_>) -> Result<(), LiveError> {
        self.progress_finished();
        self.flush().await?;
        let Some(step) = self.step.take() else {
            return Ok(());
        };
        let duration = step.elapsed();
        let entry = step.history_entry(&self.operator, duration, None);
        self.applied.push(AppliedStep {
            index: step.index,
            kind: step.kind,
            revision: step.revision.clone(),
            log: step.log.clone(),
            statements: step.statements,
            started_at: step.started_at,
            duration,
        });
        if self.history.is_some() {
            self.history_rows.push(entry);
        }
        if self.batching() {
            return Ok(());
        }
        self.queue_history();
        if let Err(err) = self.flush().await {
            // Keep the step for the failure report: its writes are part of what fails.
            self.step = Some(step);
            return Err(err);
        }
        Ok(())
    }

    async fn rollback(&mut self) -> Result<(), LiveError> {
        self.batch.clear();
        self.history_rows.clear();
        let was_open = matches!(self.tx, Tx::Open { .. });
        self.tx = Tx::Closed;
        self.heads = self.durable.heads.clone();
        self.version_table = self.durable.version_table;
        self.history_table = self.durable.history_table;
        let result = if was_open {
            crate::on_connection!(&mut *self.conn, c => {
                sqlx::raw_sql("ROLLBACK").execute(c).await.map(|_| ())
            })
        } else {
            Ok(())
        };
        self.progress_rolled_back().await;
        match result {
            // SQLite rolls some failures back by itself (a full disk, an interrupt).
            Err(err) if err.to_string().contains("no transaction is active") => Ok(()),
            Err(err) => Err(LiveError::Bookkeeping {
                action: "rolling back".into(),
                sql: "ROLLBACK".into(),
                server: ServerError::from_sqlx(self.dialect, &err),
            }),
            Ok(()) => Ok(()),
        }
    }
}
