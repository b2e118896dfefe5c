//! Statements queued by the live sink, each tagged with what it is for, and how a queue
//! is sent: on PostgreSQL as one simple-query message (the whole multi-statement text, one
//! round trip), elsewhere one statement at a time. A failure is traced back to the queued
//! statement that caused it; version-table writes are checked against Alembic's one-row
//! rule. Decides nothing about transactions: the sink queues `BEGIN`/`COMMIT` itself.
//!
//! Locating a failure in a PostgreSQL batch: the server parses the whole simple query
//! first, so a syntax error anywhere rejects the batch before any statement runs; its
//! error `position` (a 1-based character offset into the text sent) then names the
//! statement and the place in it. Once parsed, the server answers every statement with
//! one `CommandComplete` until the first error, after which it skips the rest: for an
//! error without a position (a constraint violation, a division by zero, anything raised
//! while executing) the number of completions received before it is the index of the
//! failing statement. Every queued statement holds a token (the splitter drops
//! comment-only statements), so every one completes exactly once.

use std::future::poll_fn;
use std::path::PathBuf;
use std::pin::Pin;

use futures_core::Stream;
use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Either};

use super::error::{LiveError, ServerError, StatementFailure};
use super::position::locate_in_statement;
use crate::db::version_table::row_count_error;
use crate::db::Connection;
use crate::dialect::Dialect;
use crate::execute::SetupKind;
use crate::revision::plan::VersionOp;

/// What a queued statement is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tag {
    Begin,
    Commit,
    Setup(SetupKind),
    CreateVersionTable,
    Purge,
    Body(Box<BodyTag>),
    VersionWrite(VersionOp),
    CreateHistory,
    History,
}

/// Where a body statement comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BodyTag {
    pub revision: String,
    pub path: PathBuf,
    pub index: usize,
    pub line: usize,
    pub column: usize,
    pub in_transaction: bool,
}

impl Tag {
    fn action(&self, table: &str) -> String {
        match self {
            Tag::Begin => "beginning a transaction".into(),
            Tag::Commit => "committing".into(),
            Tag::Setup(SetupKind::CreateSchema) => "creating the version table's schema".into(),
            Tag::Setup(SetupKind::SearchPath) => "setting search_path".into(),
            Tag::CreateVersionTable => format!("creating the version table `{table}`"),
            Tag::Purge => format!("purging the version table `{table}`"),
            Tag::VersionWrite(_) => format!("writing the version table `{table}`"),
            Tag::CreateHistory => "creating the history table".into(),
            Tag::History => "writing the history table".into(),
            Tag::Body(body) => format!("running revision `{}`", body.revision),
        }
    }
}

#[derive(Debug, Clone)]
struct Queued {
    sql: String,
    tag: Tag,
}

/// Statements waiting to be sent.
#[derive(Debug, Default)]
pub(super) struct Batch {
    items: Vec<Queued>,
}

impl Batch {
    pub fn push(&mut self, sql: impl Into<String>, tag: Tag) {
        self.items.push(Queued {
            sql: sql.into(),
            tag,
        });
    }

    /// Forgets what is queued (after a rollback).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Sends everything queued and checks the version-table writes. `table` is the
    /// version table's name as Alembic shows it in the one-row message.
    pub async fn flush(&mut self, conn: &mut Connection, table: &str) -> Result<(), LiveError> {
        if self.items.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.items);
        let dialect = conn.dialect();
        let Sent {
            counts,
            error,
            starts,
        } = match conn {
            Connection::Postgres(pg) if batches(dialect) => send_postgres(pg, &items).await,
            _ => send_each(conn, &items).await,
        };
        // Writes that completed before a failure are checked first: a wrong row count is
        // what Alembic would have stopped at.
        for (item, count) in items.iter().zip(&counts) {
            if let Tag::VersionWrite(op) = &item.tag {
                if let Some(message) = row_count_error(op, table, *count) {
                    return Err(LiveError::RowCount { message });
                }
            }
        }
        let Some(error) = error else {
            return Ok(());
        };
        let server = ServerError::from_sqlx(dialect, &error);
        let failed = failing_index(server.position, &starts, counts.len());
        let Some(item) = items.get(failed) else {
            return Err(LiveError::Bookkeeping {
                action: "running a batch of statements".into(),
                sql: String::new(),
                server,
            });
        };
        Err(match &item.tag {
            Tag::Body(body) => {
                let error_at = server.position.and_then(|position| {
                    // 1-based character position in the text sent -> offset in the item.
                    let start = starts.get(failed).copied()?;
                    let relative = position.checked_sub(1)?.checked_sub(start)?;
                    locate_in_statement(&item.sql, body.line, body.column, relative)
                });
                LiveError::Statement(Box::new(StatementFailure {
                    revision: body.revision.clone(),
                    path: body.path.clone(),
                    index: body.index,
                    line: body.line,
                    column: body.column,
                    statement: item.sql.clone(),
                    server,
                    error_at,
                    in_transaction: body.in_transaction,
                }))
            }
            tag => LiveError::Bookkeeping {
                action: tag.action(table),
                sql: item.sql.clone(),
                server,
            },
        })
    }
}

/// Which queued statement failed. The server's error position, when it sent one, points
/// into the text sent and so names the statement directly: a syntax error anywhere in a
/// batch rejects the whole batch before any of it runs, so no completion counts then.
/// Without a position, the failing statement is the one after the last that completed.
fn failing_index(position: Option<usize>, starts: &[usize], completed: usize) -> usize {
    let by_position = position.and_then(|position| {
        let offset = position.checked_sub(1)?;
        // The last statement starting at or before the offset (a position in the
        // separator after a statement, `at end of input`, belongs to that statement).
        starts.iter().rposition(|start| *start <= offset)
    });
    by_position.unwrap_or(completed)
}

/// What came back from sending a queue: the rows affected by each statement that
/// completed, the error that stopped it, and where each statement starts in the text
/// sent (in characters; PostgreSQL only, for the server's error position).
struct Sent {
    counts: Vec<u64>,
    error: Option<sqlx::Error>,
    starts: Vec<usize>,
}

/// PostgreSQL: the whole queue as one simple query. Statements are separated by a line
/// break before the `;`, so a statement ending in a `--` comment cannot swallow it.
async fn send_postgres(conn: &mut PgConnection, items: &[Queued]) -> Sent {
    const SEPARATOR: &str = "\n;\n";
    let mut text = String::new();
    let mut starts = Vec::with_capacity(items.len());
    let mut chars = 0;
    for item in items {
        starts.push(chars);
        text.push_str(&item.sql);
        text.push_str(SEPARATOR);
        chars += item.sql.chars().count() + SEPARATOR.len();
    }
    let mut counts = Vec::with_capacity(items.len());
    let mut stream = sqlx::raw_sql(AssertSqlSafe(text)).fetch_many(&mut *conn);
    let error = loop {
        match poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
            None => break None,
            Some(Ok(Either::Left(done))) => counts.push(done.rows_affected()),
            Some(Ok(Either::Right(_row))) => {}
            Some(Err(error)) => break Some(error),
        }
    };
    Sent {
        counts,
        error,
        starts,
    }
}

/// One statement at a time, stopping at the first failure.
async fn send_each(conn: &mut Connection, items: &[Queued]) -> Sent {
    let mut counts = Vec::with_capacity(items.len());
    for item in items {
        let sql = AssertSqlSafe(item.sql.as_str());
        let result = crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql(sql).execute(c).await.map(|done| done.rows_affected())
        });
        match result {
            Ok(count) => counts.push(count),
            Err(error) => {
                return Sent {
                    counts,
                    error: Some(error),
                    starts: Vec::new(),
                }
            }
        }
    }
    Sent {
        counts,
        error: None,
        starts: Vec::new(),
    }
}

/// Which dialects send a whole transaction's statements at once.
pub(super) fn batches(dialect: Dialect) -> bool {
    dialect == Dialect::Postgresql
}

#[cfg(test)]
mod tests;
