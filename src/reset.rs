//! `mig reset` (SPEC section 15): empty or rebuild a database under the migration lock,
//! after the guard's confirmation and a verified backup, then seed it. Strategies:
//! `rebuild` (drop what the revisions own, read from the catalog snapshot, then
//! `upgrade heads` through the engine), `truncate` (empty every table but mig's own),
//! `downgrade` (`downgrade base`, then `upgrade heads`). On PostgreSQL `rebuild` and
//! `truncate` are one transaction. `--dry-run` changes nothing and writes no history.

mod execute;
mod plan;
mod prepare;
mod report;
mod strategy;

use std::path::PathBuf;

use serde::Serialize;

use crate::backup::BackupError;
use crate::db::DbError;
use crate::engine::EngineError;
use crate::guard::{Confirmation, GuardError};
use crate::revision::graph::CommandError;
use crate::seed::{SeedError, SeedReport};

/// Which seeds run after the reset (shared with `mig runbook --seed`).
pub use crate::seed::SeedChoice;
pub use execute::run;
pub use plan::{drops, tables_to_empty, Bookkeeping, DropItem, EmptyItem};

/// How to reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    #[default]
    Rebuild,
    Truncate,
    Downgrade,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Rebuild => "rebuild",
            Strategy::Truncate => "truncate",
            Strategy::Downgrade => "downgrade",
        }
    }
}

/// Where the backup goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BackupChoice {
    /// `backups/<UTC time>_<database>/` in `[mig] backup_dir`.
    #[default]
    Default,
    Dir(PathBuf),
    Skip,
}

/// A `mig reset` request.
#[derive(Debug, Clone, Default)]
pub struct ResetRequest {
    pub strategy: Strategy,
    pub seed: SeedChoice,
    pub dry_run: bool,
    pub backup: BackupChoice,
    pub confirmation: Confirmation,
    /// `--all`: with `rebuild`, also a database without a version table (every object
    /// of its snapshot is dropped).
    pub all: bool,
}

/// What a reset did (or, dry, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResetReport {
    pub database: String,
    pub strategy: Strategy,
    pub dry_run: bool,
    /// `rebuild`: every object dropped, tables with their rows before.
    pub dropped: Vec<DropItem>,
    /// `truncate`: every table emptied, with its rows before.
    pub emptied: Vec<EmptyItem>,
    /// Revisions reverted (`downgrade`) and applied, in order.
    pub reverted: Vec<String>,
    pub applied: Vec<String>,
    /// Seeds that ran (dry: that would run).
    pub seeds: Vec<String>,
    pub seed_report: Option<SeedReport>,
    pub backup: Option<PathBuf>,
    pub duration_ms: u64,
}

/// What stops a reset.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// Refused up front: nothing was touched (exit 2).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Guard(#[from] GuardError),
    #[error("the backup failed, so nothing was reset: {0}")]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    /// The reset itself failed; `state` says what the database looks like now.
    #[error("reset failed: {message}\n{state}")]
    Failed { message: String, state: String },
    #[error("the reset succeeded, but seeding failed: {0}")]
    Seed(#[from] SeedError),
}

impl ResetError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ResetError::Refused(_) => 2,
            ResetError::Guard(e) => e.exit_code(),
            ResetError::Backup(e) => e.exit_code(),
            ResetError::Seed(e) => e.exit_code(),
            ResetError::Catalog(crate::catalog::CatalogError::Config(_)) => 2,
            ResetError::Catalog(_) | ResetError::Database(_) | ResetError::Failed { .. } => 3,
        }
    }
}

fn engine_message(err: EngineError<CommandError>) -> String {
    match err {
        EngineError::Plan(e) => e.to_string(),
        other => other.to_string(),
    }
}
