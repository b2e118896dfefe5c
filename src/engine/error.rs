//! The engine's error: what the CLI maps to an exit code and prints after `FAILED: `.
//! Every text is free of passwords.

use crate::db::DbError;
use crate::execute::{ExecError, LiveError};

use super::failure::ApplyFailure;

/// Why an online command failed. `E` is the planner's error.
#[derive(Debug, thiserror::Error)]
pub enum EngineError<E = std::convert::Infallible> {
    /// Connecting, taking the lock, reading or creating the version or history table.
    #[error(transparent)]
    Database(DbError),
    /// The planner refused the heads it was given (an unknown revision in the version
    /// table, an invalid target). Nothing ran.
    #[error(transparent)]
    Plan(E),
    /// The executor refused the plan before running anything (a revision the lookup does
    /// not know, an irreversible downgrade, a body the splitter cannot split).
    #[error(transparent)]
    Refused(Box<ExecError<LiveError>>),
    /// A step failed part-way; the message says what ran, what was rolled back and what
    /// the version table holds now.
    #[error(transparent)]
    Apply(Box<ApplyFailure>),
    /// A `Transaction: none` revision in a plan through a transaction-mode pooler.
    /// Nothing ran.
    #[error(
        "revision `{revision}` (`{}`) is `Transaction: none`, which cannot run through a \
         transaction-mode pooler: there nothing holds the migration lock across its \
         statements. Run it through the session-mode or direct URL (Supabase: port 5432 \
         of the pooler, or the direct host `db.<project>.supabase.co`)",
        path.display()
    )]
    PoolerNonTransactional {
        revision: String,
        path: std::path::PathBuf,
    },
    /// `accept` needs the history table, and `history_table` is empty.
    #[error("`accept` records checksums in the history table, which is disabled (`history_table` is empty)")]
    HistoryDisabled,
}

impl<E> EngineError<E> {
    /// The exit code of SPEC section 5: 3 for database errors (connection, SQL error,
    /// lock timeout), 2 for plans and revisions refused before anything ran.
    pub fn exit_code(&self) -> i32 {
        match self {
            EngineError::Database(_) | EngineError::Apply(_) => 3,
            EngineError::Plan(_)
            | EngineError::Refused(_)
            | EngineError::PoolerNonTransactional { .. }
            | EngineError::HistoryDisabled => 2,
        }
    }
}

impl<E> From<DbError> for EngineError<E> {
    fn from(err: DbError) -> Self {
        EngineError::Database(err)
    }
}
