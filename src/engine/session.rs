//! One engine session: the connection for a database URL, with `search_path` set as the
//! executor renders it, and the migration lock around a piece of work. Nothing here
//! migrates.

use crate::config::ExecSettings;
use crate::db::{Connection, DbError, MigrationLock};
use crate::url::DatabaseUrl;

/// An open connection and what was set on it.
pub(crate) struct Session {
    pub conn: Connection,
    /// The `SET search_path` statement run on the session (PostgreSQL), exactly as the
    /// executor renders it, so the offline `--sql` text shows what online runs.
    pub search_path: Option<String>,
}

impl Session {
    /// Connects to `url` and sets `search_path`.
    pub async fn open(url: &DatabaseUrl, settings: &ExecSettings) -> Result<Session, DbError> {
        let conn = crate::db::open(url, settings).await?;
        let search_path = settings
            .search_path
            .as_deref()
            .and_then(|path| conn.dialect().search_path_sql(path));
        Ok(Session { conn, search_path })
    }

    /// Takes the migration lock, unless `lock = false`.
    pub async fn lock(
        &mut self,
        settings: &ExecSettings,
    ) -> Result<Option<MigrationLock>, DbError> {
        if !settings.lock {
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
