//! The live sink's records: what the caller found before the run, the step in progress
//! (kept after a failure for the report and the failure's history row), the steps that
//! completed, body statements that ran on their own, and the progress of a step that
//! runs outside a transaction (its progress row). Plain data.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::db::history::{HistoryEntry, HistoryKind};
use crate::revision::plan::StepKind;

/// What the caller found before the run, under the migration lock.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveStart {
    /// The version table's rows (the plan's start heads).
    pub heads: Vec<String>,
    pub version_table_exists: bool,
    /// Whether `version_table_schema` exists (true when none is configured). The sink
    /// skips the executor's `CREATE SCHEMA IF NOT EXISTS` when it does: PostgreSQL checks
    /// the privilege to create schemas even when the schema exists.
    pub schema_exists: bool,
    pub history_table_exists: bool,
    /// The caller already opened the first transaction (SQLite `BEGIN IMMEDIATE`, under
    /// which it read `heads`); the sink adopts it as the executor's first.
    pub transaction_open: bool,
    /// `stamp --purge`: delete every version row right after ensuring the table.
    pub purge: bool,
    /// The `SET search_path` statement already run on this session, if any (the sink
    /// skips the executor's identical setup statement).
    pub session_search_path: Option<String>,
    /// `user@host`, for history rows.
    pub operator: String,
    /// Through a transaction pooler: how each later transaction begins (its settings and
    /// lock); the sink then reads the version table under the lock, as on SQLite.
    pub pooled: Option<crate::db::PooledBegin>,
}

/// One step that completed (body and version writes; committed or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedStep {
    /// Index of the step in its plan.
    pub index: usize,
    pub kind: StepKind,
    pub revision: Option<String>,
    /// `upgrade a -> b` (Alembic's short log).
    pub log: String,
    /// Body statements run.
    pub statements: usize,
    pub started_at: DateTime<Utc>,
    /// Wall time from the step's start until the server confirmed its last statement.
    pub duration: Duration,
}

/// A body statement that completed on its own (outside a batch): for `Transaction: none`
/// revisions, and every statement on SQLite and MySQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RanStatement {
    pub line: usize,
    pub column: usize,
    pub statement: String,
    /// Whether it ran inside a transaction (rolled back with it, except for DDL on MySQL).
    pub in_transaction: bool,
}

/// The step in progress; after a failure, the step that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInProgress {
    pub index: usize,
    pub kind: StepKind,
    pub revision: Option<String>,
    pub path: Option<PathBuf>,
    pub log: String,
    /// Checksum of the section that runs (`None` for stamps).
    pub checksum: Option<String>,
    pub started_at: DateTime<Utc>,
    pub(super) started: Instant,
    pub(super) statements: usize,
    /// Body statements that completed on their own, in order.
    pub ran: Vec<RanStatement>,
}

impl StepInProgress {
    /// Time since the step started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The history row for this step.
    pub fn history_entry(
        &self,
        operator: &str,
        duration: Duration,
        error: Option<String>,
    ) -> HistoryEntry {
        HistoryEntry {
            revision: self.revision.clone(),
            kind: direction(self.kind),
            checksum: self.checksum.clone(),
            started_at: self.started_at,
            duration_ms: i64::try_from(duration.as_millis()).unwrap_or(i64::MAX),
            operator: operator.to_string(),
            success: error.is_none(),
            error,
            reason: None,
            progress: None,
        }
    }
}

/// `mig upgrade --resume`: the interrupted step to continue, and how many of its
/// statements to skip (they are applied already).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub revision: String,
    pub kind: StepKind,
    /// Statements done, per the progress row.
    pub skip: usize,
    /// When the interrupted step started (its progress row keeps that time).
    pub started_at: DateTime<Utc>,
}

/// The progress row of the step in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tracking {
    pub revision: String,
    pub kind: HistoryKind,
    pub total: usize,
    pub done: usize,
    /// Line of the last statement done (of the first, until one is done).
    pub line: usize,
    /// Whether the row exists (written by this run, or by the run being resumed).
    pub written: bool,
    /// The step's start as the row records it.
    pub origin: DateTime<Utc>,
    /// Statements to skip (resume).
    pub skip: usize,
}

impl Tracking {
    pub fn elapsed_ms(&self) -> i64 {
        (Utc::now() - self.origin).num_milliseconds().max(0)
    }
}

pub(super) fn direction(kind: StepKind) -> HistoryKind {
    match kind {
        StepKind::Upgrade => HistoryKind::Upgrade,
        StepKind::Downgrade => HistoryKind::Downgrade,
        StepKind::Stamp => HistoryKind::Stamp,
    }
}
