//! The PostgreSQL migration lock: a session-level advisory lock, polled until the timeout,
//! and the holder looked up when it is not granted. Never waits inside the server.
//! Through a transaction pooler the same key is taken as a transaction-level lock
//! (`pg_try_advisory_xact_lock`) at the start of each unit's transaction instead.

use std::time::{Duration, Instant};

use sqlx::postgres::PgConnection;
use sqlx::Row;

use super::{Held, LockHolder, LockKey, LockTimeout, MigrationLock};
use crate::db::{query_error, DbError};

const FIRST_POLL: Duration = Duration::from_millis(50);
const MAX_POLL: Duration = Duration::from_millis(200);

/// Takes the PostgreSQL session-level advisory lock for `key`, polling until `timeout`.
pub async fn acquire_postgres(
    conn: &mut PgConnection,
    key: LockKey,
    timeout: Duration,
) -> Result<MigrationLock, DbError> {
    poll(conn, &key, timeout, "SELECT pg_try_advisory_lock($1)").await?;
    let id = key.advisory_id();
    Ok(MigrationLock {
        key,
        held: Held::Postgres(id),
    })
}

/// Takes the same lock at transaction level in the open transaction (through a
/// transaction pooler), polling until `timeout`; it ends with the transaction.
pub async fn acquire_postgres_xact(
    conn: &mut PgConnection,
    key: &LockKey,
    timeout: Duration,
) -> Result<(), DbError> {
    poll(conn, key, timeout, "SELECT pg_try_advisory_xact_lock($1)").await
}

/// The lock key of the version table `schema`.`table` in the connected database.
pub async fn postgres_key(
    conn: &mut PgConnection,
    schema: Option<&str>,
    table: &str,
) -> Result<LockKey, DbError> {
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .persistent(false)
        .fetch_one(&mut *conn)
        .await
        .map_err(|err| query_error("reading the database name", &err))?;
    Ok(LockKey::new(&database, schema, table))
}

async fn poll(
    conn: &mut PgConnection,
    key: &LockKey,
    timeout: Duration,
    try_lock: &'static str,
) -> Result<(), DbError> {
    let id = key.advisory_id();
    let action = format!("taking the migration lock `{key}`");
    let deadline = Instant::now() + timeout;
    let mut pause = FIRST_POLL;
    loop {
        let taken: bool = sqlx::query_scalar(try_lock)
            .bind(id)
            .persistent(false)
            .fetch_one(&mut *conn)
            .await
            .map_err(|err| query_error(&action, &err))?;
        if taken {
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            let holder = postgres_holder(conn, id).await;
            return Err(LockTimeout {
                lock: format!("the migration lock `{key}` (advisory lock {id})"),
                waited: timeout,
                holder,
            }
            .into());
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 3 / 2).min(MAX_POLL);
    }
}

/// The session holding advisory lock `id`, if the server shows it to us.
async fn postgres_holder(conn: &mut PgConnection, id: i64) -> Option<LockHolder> {
    let high = (id >> 32) & 0xffff_ffff;
    let low = id & 0xffff_ffff;
    let row = sqlx::query(include_str!("../sql/pg_lock_holder.sql"))
        .bind(high)
        .bind(low)
        .persistent(false)
        .fetch_optional(conn)
        .await
        .ok()??;
    Some(LockHolder {
        pid: row.try_get("pid").ok()?,
        application_name: row.try_get("application_name").ok()?,
        user: row.try_get("user_name").ok()?,
        client: row.try_get("client").ok()?,
        since: row.try_get("since").ok()?,
    })
}
