//! The live sink's transaction: its state as the sink sees it ([`Tx`]), what holds as of
//! the last commit ([`Durable`], restored on rollback), and the bookkeeping statements
//! that go with opening and committing it: the early `BEGIN` on PostgreSQL, the queued
//! history rows before `COMMIT`, the version table read again under SQLite's write lock
//! (or a pooler's transaction lock), MySQL's history table created before a step, and
//! `stamp --purge`. Statements are queued in the sink's batch; nothing here plans.

use crate::db::read_state;
use crate::dialect::Dialect;

use super::batch::Tag;
use super::{LiveError, LiveSink};

/// The transaction as the sink sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tx {
    Closed,
    /// `announced`: the executor has called `begin` for it (false when the sink or its
    /// caller opened it early; the executor's next `begin` adopts it).
    Open {
        announced: bool,
    },
}

/// What holds as of the last commit, restored on rollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Durable {
    pub heads: Vec<String>,
    pub version_table: bool,
    pub history_table: bool,
}

impl LiveSink<'_> {
    /// PostgreSQL: open the run's transaction before the executor does, so that DDL
    /// it emits ahead of its first `begin` is part of the first transaction.
    pub(super) fn open_early(&mut self) {
        if self.dialect.transactional_ddl() && self.tx == Tx::Closed {
            self.batch.push("BEGIN", Tag::Begin);
            self.tx = Tx::Open { announced: false };
        }
    }

    pub(super) async fn commit_now(&mut self) -> Result<(), LiveError> {
        self.queue_history();
        self.batch.push("COMMIT", Tag::Commit);
        self.tx = Tx::Closed;
        self.flush().await?;
        self.durable = Durable {
            heads: self.heads.clone(),
            version_table: self.version_table,
            history_table: self.history_table,
        };
        Ok(())
    }

    /// SQLite: after `BEGIN IMMEDIATE`, the version table must still be as this run left
    /// it at its last commit.
    pub(super) async fn check_unchanged(&mut self) -> Result<(), LiveError> {
        let found = read_state(self.conn, &self.table)
            .await
            .map_err(LiveError::Db)?;
        let mut expected = self.durable.heads.clone();
        let mut now = found.heads.clone();
        expected.sort();
        now.sort();
        if expected != now {
            return Err(LiveError::Conflict {
                expected: self.durable.heads.clone(),
                found: found.heads,
            });
        }
        Ok(())
    }

    /// MySQL: `CREATE TABLE` commits implicitly, so a missing history table is created
    /// before a step's transaction opens, where it cannot commit the step's first
    /// statements with it (a step of DML alone then stays one transaction).
    pub(super) fn create_mysql_history_table(&mut self) {
        if self.dialect != Dialect::Mysql || self.history_table {
            return;
        }
        if let Some(history) = self.history.as_ref() {
            self.batch.push(history.create_sql(), Tag::CreateHistory);
            self.history_table = true;
            self.durable.history_table = true;
        }
    }

    pub(super) fn queue_purge(&mut self) {
        if std::mem::take(&mut self.purge) {
            self.batch.push(self.version_sql.delete_all(), Tag::Purge);
            self.heads.clear();
        }
    }

    /// Queues the rows of [`Self::history_rows`] as one `INSERT`, creating the table
    /// first if missing.
    pub(super) fn queue_history(&mut self) {
        let rows = std::mem::take(&mut self.history_rows);
        let Some(history) = self.history.as_ref().filter(|_| !rows.is_empty()) else {
            return;
        };
        if !self.history_table {
            self.batch.push(history.create_sql(), Tag::CreateHistory);
            self.history_table = true;
        }
        self.batch
            .push(history.insert_rows_sql(&rows), Tag::History);
    }
}
