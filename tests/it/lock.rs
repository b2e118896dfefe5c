//! The migration lock against real servers.

use std::time::{Duration, Instant};

use mig::db::{begin_immediate, Connection, DbError, MigrationLock};
use mig::provision::TempSqlite;

use crate::support;

async fn pg(url: &str) -> Connection {
    Connection::Postgres(crate::support::connect_pg(url).await.unwrap())
}

async fn backend_pid(conn: &mut Connection) -> i32 {
    let Connection::Postgres(pg) = conn else {
        panic!("expected PostgreSQL");
    };
    sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(pg)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_waiter_times_out_naming_the_holder_and_gets_the_lock_once_released() {
    let db = support::pg_db("lock_timeout");
    let mut holder = pg(db.url()).await;
    let held = MigrationLock::acquire(&mut holder, None, "alembic_version", Duration::from_secs(1))
        .await
        .unwrap();
    let holder_pid = backend_pid(&mut holder).await;

    let mut waiter = pg(db.url()).await;
    let started = Instant::now();
    let err = MigrationLock::acquire(
        &mut waiter,
        None,
        "alembic_version",
        Duration::from_millis(400),
    )
    .await
    .unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_secs(3),
        "waited {waited:?}"
    );
    let DbError::LockTimeout(timeout) = &err else {
        panic!("expected a lock timeout, got {err}");
    };
    let named = timeout.holder.as_ref().expect("the holder is named");
    assert_eq!(named.pid, i64::from(holder_pid));
    assert_eq!(named.application_name.as_deref(), Some("mig"));

    let text = err.to_string();
    let text = text.replace(&format!("pid {holder_pid} "), "pid [pid] ");
    let text = regex::Regex::new(r"advisory lock -?\d+")
        .unwrap()
        .replace(&text, "advisory lock [id]");
    let text = regex::Regex::new(r"client [^,]+, connected since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
        .unwrap()
        .replace(&text, "client [client], connected since [time]");
    let text = text.replace(db.name(), "[db]");
    let user = named.user.clone().unwrap_or_default();
    let text = text.replace(&format!("user `{user}`"), "user `[user]`");
    assert_eq!(
        text,
        "timed out after 0.4s waiting for the migration lock `mig:[db]::alembic_version` \
         (advisory lock [id]): held by pid [pid] (application_name `mig`, user `[user]`, \
         client [client], connected since [time]); stop that session or raise `lock_timeout`"
    );

    held.release(&mut holder).await.unwrap();
    let taken = MigrationLock::acquire(
        &mut waiter,
        None,
        "alembic_version",
        Duration::from_millis(400),
    )
    .await
    .unwrap();
    taken.release(&mut waiter).await.unwrap();
}

#[tokio::test]
async fn a_terminated_holder_leaves_no_stale_lock() {
    let db = support::pg_db("lock_terminated");
    let mut holder = pg(db.url()).await;
    let _held = MigrationLock::acquire(
        &mut holder,
        Some("admin"),
        "alembic_version",
        Duration::ZERO,
    )
    .await
    .unwrap();
    let holder_pid = backend_pid(&mut holder).await;

    let mut admin = pg(db.url()).await;
    let Connection::Postgres(admin_pg) = &mut admin else {
        unreachable!()
    };
    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1, 5000)")
        .bind(holder_pid)
        .fetch_one(admin_pg)
        .await
        .unwrap();
    assert!(terminated);

    let taken = MigrationLock::acquire(
        &mut admin,
        Some("admin"),
        "alembic_version",
        Duration::from_secs(2),
    )
    .await
    .unwrap();
    taken.release(&mut admin).await.unwrap();
}

#[tokio::test]
async fn version_tables_in_other_schemas_do_not_contend() {
    let db = support::pg_db("lock_keys");
    let mut first = pg(db.url()).await;
    let mut second = pg(db.url()).await;
    let a = MigrationLock::acquire(&mut first, None, "alembic_version", Duration::ZERO)
        .await
        .unwrap();
    let b = MigrationLock::acquire(
        &mut second,
        Some("admin"),
        "alembic_version",
        Duration::ZERO,
    )
    .await
    .unwrap();
    assert_ne!(a.key(), b.key());
    a.release(&mut first).await.unwrap();
    b.release(&mut second).await.unwrap();
}

#[tokio::test]
async fn sqlite_writers_wait_for_the_lock_timeout_then_fail() {
    let file = TempSqlite::new().unwrap();
    let settings = mig::config::ExecSettings::default();
    let mut first = support::open(&file.url(), &settings).await.unwrap();
    let mut second = support::open(&file.url(), &settings).await.unwrap();
    let timeout = Duration::from_millis(300);
    let lock_a = MigrationLock::acquire(&mut first, None, "alembic_version", timeout)
        .await
        .unwrap();
    let lock_b = MigrationLock::acquire(&mut second, None, "alembic_version", timeout)
        .await
        .unwrap();
    let (Connection::Sqlite(a), Connection::Sqlite(b)) = (&mut first, &mut second) else {
        panic!("expected SQLite connections");
    };

    begin_immediate(a).await.unwrap();
    let started = Instant::now();
    let err = begin_immediate(b).await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited >= timeout, "gave up after {waited:?}");
    assert_eq!(
        err.to_string(),
        "timed out after 0.3s waiting for the write lock of the SQLite database: held by \
         another session, which could not be identified; stop that session or raise `lock_timeout`"
    );

    sqlx::raw_sql("COMMIT").execute(&mut *a).await.unwrap();
    begin_immediate(b).await.unwrap();
    sqlx::raw_sql("COMMIT").execute(&mut *b).await.unwrap();
    lock_a.release(&mut first).await.unwrap();
    lock_b.release(&mut second).await.unwrap();
}
