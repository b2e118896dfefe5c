//! SQLite's side of the migration lock: the busy timeout and `BEGIN IMMEDIATE`
//! (see the parent module for how the executor uses them).

use std::time::Duration;

use sqlx::sqlite::SqliteConnection;

use super::LockTimeout;
use crate::db::{query_error, DbError};

pub(super) async fn set_busy_timeout(
    conn: &mut SqliteConnection,
    timeout: Duration,
) -> Result<(), DbError> {
    let millis = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
    let statement = format!("PRAGMA busy_timeout = {millis}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(conn)
        .await
        .map_err(|err| query_error("setting the SQLite busy timeout", &err))?;
    Ok(())
}

/// Opens a SQLite write transaction that holds the database's write lock from its first
/// statement (`BEGIN IMMEDIATE`), waiting up to the connection's busy timeout for another
/// writer to finish; fails with [`LockTimeout`] when it does not.
pub async fn begin_immediate(conn: &mut SqliteConnection) -> Result<(), DbError> {
    let Err(err) = sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await else {
        return Ok(());
    };
    let busy = matches!(&err, sqlx::Error::Database(db)
        if db.code().is_some_and(|code| code == "5" || code == "517"));
    if !busy {
        return Err(query_error("starting a SQLite write transaction", &err));
    }
    let millis: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .persistent(false)
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_default();
    Err(LockTimeout {
        lock: "the write lock of the SQLite database".into(),
        waited: Duration::from_millis(u64::try_from(millis).unwrap_or_default()),
        holder: None,
    }
    .into())
}
