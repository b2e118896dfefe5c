//! The [`Sink`] trait: where the executor's events go. The executor decides *what* happens
//! and *when* (transaction boundaries, version-table creation, statement order); a sink
//! decides *how* (render text, or run against a database). Nothing here renders or runs.

use std::future::Future;
use std::path::Path;

use crate::config::VersionTable;
use crate::revision::plan::{Step, StepKind, VersionOp};
use crate::revision::Revision;

/// When the version table's `CREATE TABLE` is emitted: the one place where Alembic's
/// offline and online modes differ in what they do, not only in how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionTablePolicy {
    /// Alembic `--sql`: inside a step's transaction, before its `-- Running` line,
    /// whenever no head is recorded before that step (so only when starting from base,
    /// and never when the plan is empty).
    BeforeStepFromBase,
    /// Online: once, before the first step, when the plan starts from no heads (also
    /// when it has no steps); inside the run's transaction when there is one. The sink
    /// creates the table only if it is missing.
    AtStartIfMissing,
}

/// What a session statement is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupKind {
    /// `CREATE SCHEMA IF NOT EXISTS <version_table_schema>`.
    CreateSchema,
    /// `SET search_path TO ...`.
    SearchPath,
}

/// A statement mig runs before any step (not part of Alembic's output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetupStatement<'a> {
    pub kind: SetupKind,
    /// The SQL text, without `;`.
    pub sql: &'a str,
}

/// The version table's `CREATE TABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateVersionTable<'a> {
    /// The configured table (name, schema, PK), for an existence check.
    pub table: &'a VersionTable,
    /// The SQL text, without `;`.
    pub sql: &'a str,
}

/// One step of the plan, as announced to the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepEvent<'a> {
    /// Index of the step in the plan.
    pub index: usize,
    pub step: &'a Step<'a>,
    /// `Transaction: none`: the body runs outside any transaction.
    pub outside_transaction: bool,
    /// Body statements of the step (0 for stamps).
    pub statements: usize,
}

impl<'a> StepEvent<'a> {
    /// The revision whose body runs (`None` for stamp steps).
    pub fn revision(&self) -> Option<&'a Revision> {
        self.step.revision()
    }

    /// Alembic's name for the step: `upgrade`, `downgrade` or `stamp_revision`.
    pub fn verb(&self) -> &'static str {
        match self.step.kind() {
            StepKind::Upgrade => "upgrade",
            StepKind::Downgrade => "downgrade",
            StepKind::Stamp => "stamp_revision",
        }
    }

    /// `upgrade a -> b`: ids joined by `, `, base written as nothing (Alembic's
    /// `short_log`, rendered offline as `-- Running <short_log>`).
    pub fn short_log(&self) -> String {
        let mut out = String::new();
        self.write_short_log(&mut out);
        out
    }

    /// [`short_log`](Self::short_log), appended to `out`.
    pub fn write_short_log(&self, out: &mut String) {
        let ids = |out: &mut String, ids: &[String]| {
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(id);
            }
        };
        out.push_str(self.verb());
        out.push(' ');
        ids(out, &self.step.from);
        out.push_str(" -> ");
        ids(out, &self.step.to);
    }

    /// `upgrade a -> b, message`: the online log line after `Running `; without a
    /// message (stamp steps, empty docstring) the same as [`short_log`](Self::short_log).
    pub fn log_line(&self) -> String {
        match self.revision().map(|r| r.message.as_str()) {
            Some(message) if !message.is_empty() => {
                format!("{}, {message}", self.short_log())
            }
            _ => self.short_log(),
        }
    }
}

/// One statement of a revision body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyStatement<'a> {
    /// Index of the step in the plan.
    pub step: usize,
    pub revision: &'a Revision,
    /// The file the statement comes from.
    pub path: &'a Path,
    /// 0-based index of the statement in its section.
    pub index: usize,
    /// 1-based line and column in the file.
    pub line: usize,
    pub column: usize,
    /// The statement as the splitter returned it, without `;`.
    pub text: &'a str,
    /// False for `Transaction: none` revisions.
    pub in_transaction: bool,
}

/// One write to the version table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionWrite<'a> {
    /// Index of the step in the plan.
    pub step: usize,
    pub op: &'a VersionOp,
    /// The statement as Alembic renders it, values inlined, without `;`.
    pub sql: &'a str,
    /// The configured table, for row-count messages
    /// (`... in 'alembic_version'; 0 found`).
    pub table: &'a VersionTable,
}

/// Receives the executor's events in order. Every method may fail; the executor stops at
/// the first error, calls [`rollback`](Sink::rollback) and reports its progress.
///
/// Transactions: the executor calls [`begin`](Sink::begin)/[`commit`](Sink::commit) for
/// one transaction per run (transactional-DDL dialect, default) or one per step
/// (`transaction_per_migration`, or a dialect without transactional DDL), and around a
/// `Transaction: none` body it commits first and begins again after. A sink that cannot
/// or need not delimit transactions (offline SQLite/MySQL text) ignores those calls.
pub trait Sink {
    /// The sink's own failure (a database error, an I/O error).
    type Error: std::error::Error + Send + Sync + 'static;

    /// When the version table is created; see [`VersionTablePolicy`].
    fn version_table_policy(&self) -> VersionTablePolicy;

    /// A session statement, before anything else (`CREATE SCHEMA`, `SET search_path`).
    fn setup(
        &mut self,
        statement: &SetupStatement<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Create the version table (online: only if it is missing).
    fn create_version_table(
        &mut self,
        create: &CreateVersionTable<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Open a transaction.
    fn begin(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Commit the open transaction.
    fn commit(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// A step starts (offline: `-- Running ...`; online: the `Running ...` log line).
    fn step_started(
        &mut self,
        step: &StepEvent<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Run or render one body statement.
    fn execute(
        &mut self,
        statement: &BodyStatement<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Run or render one version-table write.
    fn version_write(
        &mut self,
        write: &VersionWrite<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// A step's body and version writes are done (not yet necessarily committed).
    fn step_finished(
        &mut self,
        step: &StepEvent<'_>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// The run failed: roll back whatever transaction is open (there may be none, after
    /// a failure outside a transaction). Its own failure is reported beside the original
    /// error, never instead of it.
    fn rollback(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send;
}
