//! Live databases: connect (and tell a transaction-mode pooler), lock, version table,
//! history table (the only sqlx users, with catalog and the live sink).
//! Every error text that leaves this module is free of passwords.

/// Runs the same code on whichever sqlx connection a [`Connection`] holds (each arm is
/// type-checked for its own backend).
#[macro_export]
#[doc(hidden)]
macro_rules! on_connection {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Connection::Postgres($c) => $body,
            $crate::db::Connection::Sqlite($c) => $body,
            $crate::db::Connection::Mysql($c) => $body,
        }
    };
}

pub mod audit;
pub mod connect;
pub mod diagnose;
pub mod history;
pub mod lock;
pub mod open;
pub mod pooler;
pub mod version_sql;
pub mod version_table;

pub use connect::{
    connect_mysql, connect_postgres, connect_sqlite, set_search_path, Connection, SqliteLocation,
    APPLICATION_NAME,
};
pub use diagnose::{ConnectError, ConnectProblem};
pub use history::{HistoryEntry, HistoryKind, HistoryRow, HistoryTable, RecordedChecksum};
pub use lock::{begin_immediate, LockHolder, LockKey, LockTimeout, MigrationLock};
pub use open::{open, open_detecting_pooler};
pub use pooler::{PooledBegin, Pooler, PoolerReason};
pub use version_sql::VersionSql;
pub use version_table::{read_heads, read_state, schema_exists, table_exists, VersionState};

/// Errors talking to a database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// The connection could not be opened; diagnosed in words.
    #[error(transparent)]
    Connect(Box<ConnectError>),
    /// The URL cannot be used (shown with its password masked).
    #[error("cannot use database URL `{url}`: {reason}")]
    Url { url: String, reason: String },
    /// A statement mig issued itself failed.
    #[error("{action} failed: {message}")]
    Query { action: String, message: String },
    /// The migration lock was not granted in time.
    #[error(transparent)]
    LockTimeout(Box<LockTimeout>),
}

impl From<ConnectError> for DbError {
    fn from(err: ConnectError) -> Self {
        DbError::Connect(Box::new(err))
    }
}

impl From<LockTimeout> for DbError {
    fn from(err: LockTimeout) -> Self {
        DbError::LockTimeout(Box::new(err))
    }
}

/// Wraps a failed statement, with the server's error code (SQLSTATE for PostgreSQL) when it sent one.
pub(crate) fn query_error(action: &str, err: &sqlx::Error) -> DbError {
    let message = match err {
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => format!("{} (code {code})", db.message()),
            None => db.message().to_string(),
        },
        other => diagnose::sqlx_message(other),
    };
    DbError::Query {
        action: action.to_string(),
        message,
    }
}
