//! The MySQL/MariaDB migration lock: `GET_LOCK`, which waits inside the server.

use std::time::Duration;

use sqlx::mysql::MySqlConnection;
use sqlx::Row;

use super::{Held, LockHolder, LockKey, LockTimeout, MigrationLock};
use crate::db::{query_error, DbError};

/// Takes the MySQL/MariaDB `GET_LOCK` for `key`, waiting up to `timeout` (whole seconds).
pub async fn acquire_mysql(
    conn: &mut MySqlConnection,
    key: LockKey,
    timeout: Duration,
) -> Result<MigrationLock, DbError> {
    let name = key.mysql_name();
    let action = format!("taking the migration lock `{key}`");
    let wait = i64::try_from(timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0))
        .unwrap_or(i64::MAX);
    let taken: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, ?)")
        .persistent(false)
        .bind(name.as_str())
        .bind(wait)
        .fetch_one(&mut *conn)
        .await
        .map_err(|err| query_error(&action, &err))?;
    if taken == Some(1) {
        return Ok(MigrationLock {
            key,
            held: Held::Mysql(name),
        });
    }
    let holder = mysql_holder(conn, &name).await;
    Err(LockTimeout {
        lock: format!("the migration lock `{key}` (GET_LOCK `{name}`)"),
        waited: timeout,
        holder,
    }
    .into())
}

async fn mysql_holder(conn: &mut MySqlConnection, name: &str) -> Option<LockHolder> {
    // MariaDB types IS_USED_LOCK as a signed INT, MySQL as an unsigned BIGINT: read one type.
    let id: Option<i64> = sqlx::query_scalar("SELECT CAST(IS_USED_LOCK(?) AS SIGNED)")
        .persistent(false)
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .ok()?;
    let id = id?;
    let row = sqlx::query(
        "SELECT USER AS user_name, HOST AS client FROM information_schema.PROCESSLIST WHERE ID = ?",
    )
    .persistent(false)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .ok()
    .flatten();
    Some(LockHolder {
        pid: id,
        application_name: None,
        user: row.as_ref().and_then(|row| row.try_get("user_name").ok()),
        client: row.as_ref().and_then(|row| row.try_get("client").ok()),
        since: None,
    })
}
