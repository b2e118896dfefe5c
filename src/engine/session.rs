//! One engine session: the connection for a database URL, with `search_path` set as the
//! executor renders it, and the migration lock around a piece of work. Nothing here
//! migrates.

use std::path::PathBuf;

use sqlx::AssertSqlSafe;

use crate::config::ExecSettings;
use crate::db::{
    connect_mysql, connect_postgres, connect_sqlite, query_error, Connection, DbError,
    MigrationLock, SqliteLocation,
};
use crate::dialect::Dialect;
use crate::url::DatabaseUrl;

/// An open connection and what was set on it.
pub(super) struct Session {
    pub conn: Connection,
    /// The `SET search_path` statement run on the session (PostgreSQL), exactly as the
    /// executor renders it, so the offline `--sql` text shows what online runs.
    pub search_path: Option<String>,
}

impl Session {
    /// Connects to `url` and sets `search_path`.
    pub async fn open(url: &DatabaseUrl, settings: &ExecSettings) -> Result<Session, DbError> {
        let mut conn = match url.dialect() {
            Dialect::Postgresql => {
                Connection::Postgres(connect_postgres(&url.to_sqlx_url(), None).await?)
            }
            Dialect::Mysql => Connection::Mysql(connect_mysql(&url.to_sqlx_url()).await?),
            Dialect::Sqlite => {
                let location = match url.database() {
                    Some(path) if !url.is_sqlite_memory() => {
                        SqliteLocation::File(PathBuf::from(path))
                    }
                    _ => SqliteLocation::Memory,
                };
                Connection::Sqlite(connect_sqlite(&location, settings.lock_timeout).await?)
            }
        };
        let search_path = settings
            .search_path
            .as_deref()
            .and_then(|path| conn.dialect().search_path_sql(path));
        if let (Some(sql), Connection::Postgres(pg)) = (&search_path, &mut conn) {
            sqlx::raw_sql(AssertSqlSafe(sql.as_str()))
                .execute(pg)
                .await
                .map_err(|err| query_error(&format!("running `{sql}`"), &err))?;
        }
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
