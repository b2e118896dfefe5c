//! The live sink's errors: a failing body statement located in its file, a failing
//! bookkeeping statement, Alembic's one-row rule, a concurrent change seen on SQLite.
//! Server errors keep their message, code, detail, hint and position. Formatting only;
//! passwords are scrubbed by the engine, which knows the URL.

use std::fmt;
use std::path::PathBuf;

use sqlx::mysql::MySqlDatabaseError;
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};

use crate::db::DbError;
use crate::dialect::Dialect;

/// What the server (or the driver) said about a failed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub dialect: Dialect,
    /// The primary message.
    pub message: String,
    /// SQLSTATE (PostgreSQL), result code (SQLite), error number (MySQL).
    pub code: Option<String>,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// PostgreSQL's error cursor: 1-based character position in the query text sent.
    pub position: Option<usize>,
}

impl ServerError {
    /// The parts of `err` worth showing. A non-database error (connection lost, protocol)
    /// keeps the driver's text as its message, without the driver's source location.
    pub fn from_sqlx(dialect: Dialect, err: &sqlx::Error) -> ServerError {
        let mut server = ServerError {
            dialect,
            message: crate::db::diagnose::sqlx_message(err),
            code: None,
            detail: None,
            hint: None,
            position: None,
        };
        if let sqlx::Error::Database(db) = err {
            server.message = db.message().to_string();
            server.code = db.code().map(|code| code.into_owned());
            // MySQL's own error number says more than its SQLSTATE (`42000` is any syntax
            // or access error).
            if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
                server.code = Some(my.number().to_string());
            }
            if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
                server.detail = pg.detail().map(str::to_string);
                server.hint = pg.hint().map(str::to_string);
                server.position = match pg.position() {
                    Some(PgErrorPosition::Original(position)) => Some(position),
                    _ => None,
                };
            }
        }
        server
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (&self.code, self.dialect) {
            (Some(code), Dialect::Postgresql) => write!(f, " (SQLSTATE {code})"),
            (Some(code), Dialect::Mysql) => write!(f, " (error {code})"),
            (Some(code), _) => write!(f, " (code {code})"),
            (None, _) => Ok(()),
        }
    }
}

/// A revision body statement that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFailure {
    pub revision: String,
    pub path: PathBuf,
    /// 0-based index of the statement in its section.
    pub index: usize,
    /// 1-based line and column in the file of the statement's first token.
    pub line: usize,
    pub column: usize,
    /// The whole statement.
    pub statement: String,
    pub server: ServerError,
    /// Where the server's error cursor points, as line and column in the file, when it
    /// sent one that falls inside the statement.
    pub error_at: Option<(usize, usize)>,
    /// False for a `Transaction: none` statement, which ran on its own.
    pub in_transaction: bool,
}

/// Why the live sink failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// A revision body statement failed.
    #[error(
        "revision `{}` failed at `{}` line {}, column {}: {}",
        .0.revision, .0.path.display(), .0.line, .0.column, .0.server
    )]
    Statement(Box<StatementFailure>),
    /// A statement mig issues itself failed (transaction control, version or history
    /// table).
    #[error("{action} failed (`{sql}`): {server}")]
    Bookkeeping {
        /// What mig was doing, e.g. ``creating the version table `alembic_version` ``.
        action: String,
        sql: String,
        server: ServerError,
    },
    /// A version-table `UPDATE` or `DELETE` did not touch exactly one row (Alembic's
    /// message, word for word).
    #[error("{message}")]
    RowCount { message: String },
    /// SQLite: between two transactions of this run, another process changed the version
    /// table (the engine plans again from the new heads).
    #[error(
        "the version table changed while migrating: expected {}, found {}",
        heads(.expected), heads(.found)
    )]
    Conflict {
        expected: Vec<String>,
        found: Vec<String>,
    },
    /// Taking SQLite's write lock or reading the version table failed.
    #[error(transparent)]
    Db(DbError),
    /// The run was interrupted (SIGINT, SIGTERM) before the next statement.
    #[error("interrupted before the next statement")]
    Interrupted,
}

fn heads(list: &[String]) -> String {
    if list.is_empty() {
        return "no revision".into();
    }
    list.iter()
        .map(|head| format!("`{head}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
