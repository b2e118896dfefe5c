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
    /// A step of an earlier run was interrupted part-way (SPEC section 13): the message
    /// says which, what is applied and what to run. Nothing ran.
    #[error("{0}")]
    Unfinished(String),
    /// `mig resolve` was asked about a revision that is not interrupted, or cannot write
    /// what the step would have.
    #[error("{0}")]
    Resolve(String),
    /// SIGINT or SIGTERM stopped the command: the running statement was cancelled and
    /// rolled back; `failure` says what the database holds now (`None`: nothing had
    /// started changing it).
    #[error("{}", signal_message(*.code, .failure.as_deref()))]
    Signal {
        /// 130 (SIGINT) or 143 (SIGTERM).
        code: i32,
        failure: Option<Box<ApplyFailure>>,
    },
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
    /// lock timeout, an interrupted step in the way), 128 + signal when stopped by one,
    /// 2 for plans and revisions refused before anything ran.
    pub fn exit_code(&self) -> i32 {
        match self {
            EngineError::Database(_)
            | EngineError::Apply(_)
            | EngineError::Unfinished(_)
            | EngineError::Resolve(_) => 3,
            EngineError::Signal { code, .. } => *code,
            EngineError::Plan(_)
            | EngineError::Refused(_)
            | EngineError::PoolerNonTransactional { .. }
            | EngineError::HistoryDisabled => 2,
        }
    }
}

fn signal_message(code: i32, failure: Option<&ApplyFailure>) -> String {
    let signal = crate::execute::Interrupt::signal_name(code);
    match failure {
        Some(failure) => format!("interrupted by {signal}; {failure}"),
        None => format!("interrupted by {signal} before anything was changed"),
    }
}

impl<E> From<DbError> for EngineError<E> {
    fn from(err: DbError) -> Self {
        EngineError::Database(err)
    }
}
