//! Opening connections: session settings and backends.

use std::time::Duration;

use mig::config::ExecSettings;
use mig::db::Connection;

use crate::support::open;
use mig::dialect::Dialect;
use mig::provision::TempSqlite;

use crate::support;

async fn show(conn: &mut sqlx::PgConnection, setting: &str) -> String {
    sqlx::query_scalar("SELECT current_setting($1)")
        .bind(setting)
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn postgres_sessions_announce_mig_and_set_search_path_first() {
    let db = support::pg_db("session_settings");
    let url = mig::url::DatabaseUrl::parse(db.url()).unwrap();
    let mut conn = mig::db::connect_postgres(&url, Some(&"App, public".into()))
        .await
        .unwrap();
    assert_eq!(show(&mut conn, "application_name").await, "mig");
    let search_path: String = sqlx::query_scalar("SHOW search_path")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(search_path, "app, public");

    // The schema does not exist yet: search_path still names it, and it takes effect
    // once created, so revisions that create their schema work.
    sqlx::raw_sql("CREATE SCHEMA app; CREATE TABLE app.t (id int)")
        .execute(&mut conn)
        .await
        .unwrap();
    let resolved: String = sqlx::query_scalar("SELECT 't'::regclass::text")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(resolved, "t");
}

#[tokio::test]
async fn without_search_path_the_server_default_stays() {
    let db = support::pg_db("default_search_path");
    let mut conn = crate::support::connect_pg(db.url()).await.unwrap();
    assert_eq!(show(&mut conn, "search_path").await, r#""$user", public"#);
}

#[tokio::test]
async fn open_dispatches_on_sqlalchemy_schemes() {
    let db = support::pg_db("open_dispatch");
    let sqlalchemy_url = db
        .url()
        .replacen("postgresql://", "postgresql+psycopg://", 1);
    let settings = ExecSettings {
        search_path: Some("admin".into()),
        ..ExecSettings::default()
    };
    let mut conn = open(&sqlalchemy_url, &settings).await.unwrap();
    assert_eq!(conn.dialect(), Dialect::Postgresql);
    let Connection::Postgres(pg) = &mut conn else {
        panic!("expected a PostgreSQL connection");
    };
    assert_eq!(show(pg, "search_path").await, "admin");
    conn.close().await.unwrap();

    let file = TempSqlite::new().unwrap();
    let conn = open(&file.url(), &ExecSettings::default()).await.unwrap();
    assert_eq!(conn.dialect(), Dialect::Sqlite);
    conn.close().await.unwrap();
    assert!(file.path().exists(), "the SQLite file was not created");

    let memory = open("sqlite://", &ExecSettings::default()).await.unwrap();
    assert_eq!(memory.dialect(), Dialect::Sqlite);
}

#[tokio::test]
async fn sqlite_connections_leave_foreign_keys_off_and_use_the_busy_timeout() {
    let file = TempSqlite::new().unwrap();
    let settings = ExecSettings {
        lock_timeout: Duration::from_millis(1234),
        ..ExecSettings::default()
    };
    let Connection::Sqlite(mut conn) = open(&file.url(), &settings).await.unwrap() else {
        panic!("expected a SQLite connection");
    };
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!((foreign_keys, busy), (0, 1234));
}

#[tokio::test]
async fn a_sqlite_file_in_a_missing_directory_is_diagnosed() {
    let err = open(
        "sqlite:////nonexistent/mig/app.db",
        &ExecSettings::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot connect to `sqlite:////nonexistent/mig/app.db`: cannot open the database file \
         (check that its directory exists and is writable); SQLite said: unable to open database file"
    );
}
