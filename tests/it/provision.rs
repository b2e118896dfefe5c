//! The private server and per-test databases.

use mig::provision::{EphemeralPostgres, TempSqlite};

use crate::support::{self, block_on, process_running, process_uid};

#[tokio::test]
async fn parallel_tests_get_separate_databases() {
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(|| support::pg_db("separate_a"));
        let b = scope.spawn(|| support::pg_db("separate_b"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_ne!(first.name(), second.name());

    let mut a = crate::support::connect_pg(first.url()).await.unwrap();
    let mut b = crate::support::connect_pg(second.url()).await.unwrap();
    sqlx::raw_sql("CREATE TABLE only_in_a (id int)")
        .execute(&mut a)
        .await
        .unwrap();
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut b)
        .await
        .unwrap();
    assert_eq!(database, second.name());
    let visible: Option<String> = sqlx::query_scalar("SELECT to_regclass('only_in_a')::text")
        .fetch_one(&mut b)
        .await
        .unwrap();
    assert_eq!(
        visible, None,
        "a table of one test's database leaked into another's"
    );
}

#[test]
fn a_dropped_test_database_is_gone() {
    let db = support::pg_db("dropped");
    let name = db.name().to_string();
    drop(db);
    let server = support::server_url();
    let exists: bool = block_on(async {
        let mut conn = crate::support::connect_pg(&server).await.unwrap();
        sqlx::query_scalar("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert!(!exists, "database `{name}` survived its ScratchDatabase");
}

/// A server of its own: started, inspected, stopped, and nothing left behind.
#[test]
fn private_server_runs_unprivileged_on_a_socket_and_stop_removes_it() {
    let server = EphemeralPostgres::start().unwrap();
    let pid = server.pid().unwrap();
    let root = server.socket_dir().to_path_buf();
    assert!(process_running(pid));
    assert_ne!(process_uid(pid), Some(0), "the server runs as root");
    assert!(root.join(".s.PGSQL.5432").exists());

    let url = block_on(server.create_database("inspect")).unwrap();
    let settings: Vec<String> = block_on(async {
        let mut conn = crate::support::connect_pg(&url).await.unwrap();
        let mut values = Vec::new();
        for setting in [
            "listen_addresses",
            "fsync",
            "synchronous_commit",
            "full_page_writes",
        ] {
            let value: String = sqlx::query_scalar("SELECT current_setting($1)")
                .bind(setting)
                .fetch_one(&mut conn)
                .await
                .unwrap();
            values.push(format!("{setting}={value}"));
        }
        let user: String = sqlx::query_scalar("SELECT current_user::text")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        values.push(format!("user={user}"));
        values
    });
    assert_eq!(
        settings,
        [
            "listen_addresses=",
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "user=mig"
        ]
    );
    block_on(server.drop_database("inspect")).unwrap();

    server.stop().unwrap();
    assert!(!root.exists(), "`{}` survived stop()", root.display());
    assert!(!process_running(pid), "postmaster {pid} survived stop()");
}

#[tokio::test]
async fn temp_sqlite_file_is_created_on_connect() {
    let db = TempSqlite::new().unwrap();
    let location = mig::db::SqliteLocation::of(&mig::url::DatabaseUrl::parse(&db.url()).unwrap());
    let mut conn = mig::db::connect_sqlite(&location, std::time::Duration::from_secs(1))
        .await
        .unwrap();
    sqlx::raw_sql("CREATE TABLE t (id integer)")
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(db.path().exists());
}
