//! One engine session: the connection for a database URL, with `search_path` set as the
//! executor renders it, and the migration lock around a piece of work. Nothing here
//! migrates.
//!
//! Through a transaction-mode pooler ([`Pooler`]) nothing is set on the session and no
//! session lock is taken: each unit opens its own transaction with
//! [`Session::pooled_begin`]'s settings and lock, and reads run inside
//! [`Session::begin_read`] / [`Session::end_read`].

use crate::config::ExecSettings;
use crate::db::lock::postgres_key;
use crate::db::pooler::{self, PooledBegin, Pooler};
use crate::db::{query_error, Connection, DbError, MigrationLock};
use crate::url::DatabaseUrl;

/// An open connection and what was set on it.
pub(crate) struct Session {
    pub conn: Connection,
    /// The `SET search_path` statement run on the session (PostgreSQL), exactly as the
    /// executor renders it, so the offline `--sql` text shows what online runs.
    pub search_path: Option<String>,
    /// Whether `conn` goes through a transaction-mode pooler.
    pub pooler: Pooler,
}

impl Session {
    /// Connects to `url` and sets `search_path` (on the session, unless through a
    /// transaction pooler).
    pub async fn open(url: &DatabaseUrl, settings: &ExecSettings) -> Result<Session, DbError> {
        let (conn, pooler) = crate::db::open_detecting_pooler(url, settings).await?;
        let search_path = settings
            .search_path
            .as_ref()
            .and_then(|path| conn.dialect().search_path_sql(path));
        Ok(Session {
            conn,
            search_path,
            pooler,
        })
    }

    /// Through a transaction pooler, how each unit opens its transaction (with the
    /// transaction-level lock unless `lock = false`); `None` otherwise.
    pub async fn pooled_begin(
        &mut self,
        settings: &ExecSettings,
    ) -> Result<Option<PooledBegin>, DbError> {
        let Connection::Postgres(pg) = &mut self.conn else {
            return Ok(None);
        };
        if !self.pooler.is_transaction() {
            return Ok(None);
        }
        let lock = if settings.lock {
            let table = &settings.version_table;
            pooler::begin_local(pg, None).await?;
            let key = postgres_key(pg, table.schema.as_deref(), &table.table).await;
            pooler::commit(pg).await?;
            Some(key?)
        } else {
            None
        };
        Ok(Some(PooledBegin {
            lock,
            lock_timeout: settings.lock_timeout,
            search_path: settings.search_path.clone(),
        }))
    }

    /// Through a transaction pooler, opens the transaction that reads run in (with
    /// `search_path` set for it); nothing otherwise.
    pub async fn begin_read(&mut self, settings: &ExecSettings) -> Result<(), DbError> {
        match &mut self.conn {
            Connection::Postgres(pg) if self.pooler.is_transaction() => {
                pooler::begin_local(pg, settings.search_path.as_ref()).await
            }
            _ => Ok(()),
        }
    }

    /// Opens a read-only transaction for a command that must only read (`drift`,
    /// `baseline`): nothing in it can write, whatever the role may do. Through a
    /// transaction pooler it sets what [`Session::begin_read`] sets. PostgreSQL only;
    /// nothing on other backends.
    pub async fn begin_read_only(&mut self, settings: &ExecSettings) -> Result<(), DbError> {
        let Connection::Postgres(pg) = &mut self.conn else {
            return Ok(());
        };
        // Through a pooler the transaction begins with its local settings; read-only may
        // be set after them (only read-write must come before the first query).
        let sql = if self.pooler.is_transaction() {
            pooler::begin_local(pg, settings.search_path.as_ref()).await?;
            "SET TRANSACTION READ ONLY"
        } else {
            "BEGIN READ ONLY"
        };
        sqlx::raw_sql(sql)
            .execute(&mut *pg)
            .await
            .map(|_| ())
            .map_err(|err| query_error("beginning a read-only transaction", &err))
    }

    /// Ends [`Session::begin_read_only`]'s transaction.
    pub async fn end_read_only(&mut self) -> Result<(), DbError> {
        match &mut self.conn {
            Connection::Postgres(pg) => pooler::commit(pg).await,
            _ => Ok(()),
        }
    }

    /// Ends [`Session::begin_read`]'s transaction.
    pub async fn end_read(&mut self) -> Result<(), DbError> {
        match &mut self.conn {
            Connection::Postgres(pg) if self.pooler.is_transaction() => pooler::commit(pg).await,
            _ => Ok(()),
        }
    }

    /// Takes the migration lock, unless `lock = false` or through a transaction pooler
    /// (where the lock is taken in each unit's transaction instead).
    pub async fn lock(
        &mut self,
        settings: &ExecSettings,
    ) -> Result<Option<MigrationLock>, DbError> {
        if !settings.lock || self.pooler.is_transaction() {
            return Ok(None);
        }
        let table = &settings.version_table;
        MigrationLock::acquire(
            &mut self.conn,
            table.schema.as_deref(),
            &table.table,
            settings.lock_timeout,
        )
        .await
        .map(Some)
    }

    /// Releases `lock` after the work that produced `result`. A failure to release is
    /// reported only when the work succeeded (the lock dies with the session anyway).
    pub async fn unlock<T, E: From<DbError>>(
        &mut self,
        lock: Option<MigrationLock>,
        result: Result<T, E>,
    ) -> Result<T, E> {
        if let Some(lock) = lock {
            let released = lock.release(&mut self.conn).await;
            if result.is_ok() {
                released?;
            }
        }
        result
    }

    /// Closes the connection; a failure to close politely changes nothing.
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}
