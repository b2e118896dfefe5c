//! The migration lock (SPEC section 6): one migrating process per (database, version table
//! schema, version table). Never runs migrations, never opens connections.
//!
//! - PostgreSQL: a session-level advisory lock (so a `Transaction: none` revision running
//!   `CREATE INDEX CONCURRENTLY` cannot deadlock with it), polled with
//!   `pg_try_advisory_lock` until the timeout; on timeout the holder is named from
//!   `pg_locks` joined with `pg_stat_activity`. Take it before opening any transaction and
//!   [`MigrationLock::release`] it at the end; a crashed holder's lock dies with its session.
//!   Through a transaction pooler, where a session lock means nothing, the same key is
//!   taken with `pg_try_advisory_xact_lock` in each unit's transaction
//!   ([`acquire_postgres_xact`], from [`crate::db::pooler`]).
//! - MySQL/MariaDB: `GET_LOCK(name, timeout)`, also tied to the session.
//! - SQLite has no session locks. [`MigrationLock::acquire`] sets the busy timeout to the
//!   lock timeout; the executor must then open every write transaction with
//!   [`begin_immediate`] (which takes SQLite's write lock at once, waiting up to the busy
//!   timeout) and read the version table *inside* that transaction before running a
//!   revision, so two processes serialise per revision and the second sees the first's
//!   version rows instead of running the same revision again.

mod mysql;
mod postgres;
mod sqlite;

use std::fmt;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::connect::Connection;
use super::{query_error, DbError};

pub use mysql::acquire_mysql;
pub use postgres::{acquire_postgres, acquire_postgres_xact, postgres_key};
pub use sqlite::begin_immediate;

/// What the lock is keyed on: `mig:<database>:<version table schema>:<version table>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LockKey {
    text: String,
}

impl LockKey {
    /// The key for a version table (`schema` `None` when unqualified) in `database`.
    pub fn new(database: &str, schema: Option<&str>, table: &str) -> LockKey {
        LockKey {
            text: format!("mig:{database}:{}:{table}", schema.unwrap_or_default()),
        }
    }

    /// The key as text, as shown in messages.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The PostgreSQL advisory-lock id: the first 8 bytes of SHA-256 of the key text, big
    /// endian, so every mig computes the same id for the same version table.
    pub fn advisory_id(&self) -> i64 {
        let digest = Sha256::digest(self.text.as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }

    /// The MySQL `GET_LOCK` name (at most 64 characters): `mig_` and the advisory id in hex.
    pub fn mysql_name(&self) -> String {
        format!("mig_{:016x}", self.advisory_id())
    }
}

impl fmt::Display for LockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The session that holds the lock, as far as the server tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// Backend pid (PostgreSQL) or connection id (MySQL).
    pub pid: i64,
    pub application_name: Option<String>,
    pub user: Option<String>,
    /// `host:port`, or `local socket`.
    pub client: Option<String>,
    /// When the holder's session started (UTC); the lock was taken at or after it.
    pub since: Option<String>,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown = "unknown".to_string();
        write!(
            f,
            "pid {} (application_name `{}`, user `{}`, client {}, connected since {})",
            self.pid,
            self.application_name.as_ref().unwrap_or(&unknown),
            self.user.as_ref().unwrap_or(&unknown),
            self.client.as_ref().unwrap_or(&unknown),
            self.since.as_ref().unwrap_or(&unknown),
        )
    }
}

/// Failing to take the lock in time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "timed out after {} waiting for {lock}: {}; stop that session or raise `lock_timeout`",
    seconds(*.waited),
    holder_text(.holder)
)]
pub struct LockTimeout {
    /// What was waited for, e.g. ``the migration lock `mig:app::alembic_version` ``.
    pub lock: String,
    pub waited: Duration,
    pub holder: Option<LockHolder>,
}

fn holder_text(holder: &Option<LockHolder>) -> String {
    match holder {
        Some(holder) => format!("held by {holder}"),
        None => "held by another session, which could not be identified".into(),
    }
}

/// `1.5s`, `60s`, `0.2s`.
fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis % 1000 == 0 {
        format!("{}s", millis / 1000)
    } else {
        let text = format!("{:.3}", duration.as_secs_f64());
        format!("{}s", text.trim_end_matches('0'))
    }
}

/// A held migration lock. Release it explicitly with [`MigrationLock::release`]; if it is
/// dropped instead, the lock lasts until the session ends.
#[derive(Debug)]
#[must_use = "release the lock at the end of the run"]
pub struct MigrationLock {
    key: LockKey,
    held: Held,
}

#[derive(Debug)]
enum Held {
    Postgres(i64),
    Mysql(String),
    Sqlite,
}

impl MigrationLock {
    /// Takes the lock for the version table `schema`.`table` of the connected database,
    /// waiting up to `timeout`.
    pub async fn acquire(
        conn: &mut Connection,
        schema: Option<&str>,
        table: &str,
        timeout: Duration,
    ) -> Result<MigrationLock, DbError> {
        match conn {
            Connection::Postgres(pg) => {
                let key = postgres_key(pg, schema, table).await?;
                acquire_postgres(pg, key, timeout).await
            }
            Connection::Mysql(my) => {
                let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
                    .persistent(false)
                    .fetch_one(&mut *my)
                    .await
                    .map_err(|err| query_error("reading the database name", &err))?;
                let key = LockKey::new(&database.unwrap_or_default(), schema, table);
                acquire_mysql(my, key, timeout).await
            }
            Connection::Sqlite(lite) => {
                sqlite::set_busy_timeout(lite, timeout).await?;
                Ok(MigrationLock {
                    key: LockKey::new("main", schema, table),
                    held: Held::Sqlite,
                })
            }
        }
    }

    /// The key this lock was taken on.
    pub fn key(&self) -> &LockKey {
        &self.key
    }

    /// Releases the lock on the session that took it.
    pub async fn release(self, conn: &mut Connection) -> Result<(), DbError> {
        let action = format!("releasing the migration lock `{}`", self.key);
        match (&self.held, conn) {
            (Held::Postgres(id), Connection::Postgres(pg)) => {
                sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)")
                    .bind(*id)
                    .persistent(false)
                    .fetch_one(pg)
                    .await
                    .map_err(|err| query_error(&action, &err))?;
            }
            (Held::Mysql(name), Connection::Mysql(my)) => {
                sqlx::query_scalar::<_, Option<i64>>("SELECT RELEASE_LOCK(?)")
                    .persistent(false)
                    .bind(name.as_str())
                    .fetch_one(my)
                    .await
                    .map_err(|err| query_error(&action, &err))?;
            }
            (Held::Sqlite, Connection::Sqlite(_)) => {}
            _ => {
                return Err(DbError::Query {
                    action,
                    message: "the lock was taken on a connection to another backend".into(),
                })
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
