//! The PostgreSQL migration lock: a session-level advisory lock, polled until the timeout,
//! and the holder looked up when it is not granted. Never waits inside the server.

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
    let id = key.advisory_id();
    let action = format!("taking the migration lock `{key}`");
    let deadline = Instant::now() + timeout;
    let mut pause = FIRST_POLL;
    loop {
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(|err| query_error(&action, &err))?;
        if taken {
            return Ok(MigrationLock {
                key,
                held: Held::Postgres(id),
            });
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
