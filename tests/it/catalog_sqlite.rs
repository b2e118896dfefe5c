//! SQLite catalog snapshots and diffs on real database files: the kinds SQLite can
//! express, the stored-text normalisation, and determinism.

use mig::catalog::{snapshot_sqlite, Kind, Snapshot, SnapshotOptions, SQLITE_STATEMENTS};
use mig::diff::{diff, DiffOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection as _, SqliteConnection};

use crate::catalog_queries::{statements_on, this_thread};

struct Lite {
    conn: SqliteConnection,
    /// The name of the connection's worker thread, which sends its statements.
    worker: String,
    _dir: tempfile::TempDir,
}

impl Lite {
    async fn new() -> Lite {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let worker = format!("{}:sqlite", this_thread());
        let named = worker.clone();
        let conn = SqliteConnectOptions::new()
            .filename(dir.path().join("catalog.db"))
            .create_if_missing(true)
            .thread_name(move |_| named.clone())
            .connect()
            .await
            .unwrap_or_else(|e| panic!("open SQLite file: {e}"));
        Lite {
            conn,
            worker,
            _dir: dir,
        }
    }

    /// The statements the connection sent so far. The worker answers a statement before
    /// it counts it, and one command at a time: once a ping is answered, every earlier
    /// statement is counted.
    async fn statements(&mut self) -> usize {
        self.conn
            .ping()
            .await
            .unwrap_or_else(|e| panic!("ping: {e}"));
        statements_on(&self.worker)
    }

    async fn exec(&mut self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    async fn snapshot_with(&mut self, opts: &SnapshotOptions) -> Snapshot {
        snapshot_sqlite(&mut self.conn, opts)
            .await
            .unwrap_or_else(|e| panic!("snapshot: {e}"))
    }

    async fn snapshot(&mut self) -> Snapshot {
        self.snapshot_with(&SnapshotOptions::default()).await
    }
}

async fn residue(setup: &str, change: &str) -> String {
    let mut db = Lite::new().await;
    if !setup.is_empty() {
        db.exec(setup).await;
    }
    let before = db.snapshot().await;
    db.exec(change).await;
    let after = db.snapshot().await;
    diff(&before, &after, &DiffOptions::default()).to_string()
}

const USERS: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)";

#[tokio::test]
async fn sqlite_table_column_index() {
    let found = residue(
        USERS,
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT)",
    )
    .await;
    insta::assert_snapshot!(found, @"extra table audit");
    let found = residue(
        USERS,
        "ALTER TABLE users ADD COLUMN nickname TEXT DEFAULT 'none'",
    )
    .await;
    insta::assert_snapshot!(found, @"extra column users.nickname");
    let found = residue(
        USERS,
        "CREATE UNIQUE INDEX ix_users_email ON users (email) WHERE email <> ''",
    )
    .await;
    insta::assert_snapshot!(found, @"extra index ix_users_email");
}

#[tokio::test]
async fn sqlite_trigger_and_view() {
    let found = residue(
        USERS,
        "CREATE TRIGGER trg_users_email AFTER UPDATE ON users BEGIN SELECT 1; END; \
         CREATE VIEW v_users AS SELECT id FROM users",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra view v_users
    extra trigger trg_users_email
    ");
}

/// SQLite's way to change a table: create the new shape, copy, drop, rename.
fn rebuild(new_definition: &str) -> String {
    format!(
        "CREATE TABLE _new {new_definition}; INSERT INTO _new (id, email) SELECT id, email FROM users; \
         DROP TABLE users; ALTER TABLE _new RENAME TO users"
    )
}

#[tokio::test]
async fn sqlite_check_and_unique_in_table_text() {
    let found = residue(
        USERS,
        &rebuild(
            "(id INTEGER PRIMARY KEY, email TEXT NOT NULL CONSTRAINT uq_users__email UNIQUE, \
             CHECK (length(email) > 3))",
        ),
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra constraint users.check (length (email) > 3)
    extra constraint users.uq_users__email
    ");
}

#[tokio::test]
async fn sqlite_foreign_key() {
    let setup = format!("{USERS}; CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT)");
    let change = "CREATE TABLE _new (id INTEGER PRIMARY KEY, user_id INT, \
        CONSTRAINT fk_posts_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE); \
        DROP TABLE posts; ALTER TABLE _new RENAME TO posts";
    let found = residue(&setup, change).await;
    insta::assert_snapshot!(found, @"extra constraint posts.fk_posts_user_id_users");
    let mut db = Lite::new().await;
    db.exec(&setup).await;
    db.exec(change).await;
    let snapshot = db.snapshot().await;
    let fk = snapshot.get(Kind::Constraint, "posts.fk_posts_user_id_users");
    assert_eq!(fk.and_then(|f| f.text("on_delete")), Some("CASCADE"));
    assert_eq!(
        fk.map(|f| f.list("referred_columns").to_vec()),
        Some(vec!["id".to_string()])
    );
}

#[tokio::test]
async fn sqlite_rebuild_with_the_same_shape_finds_nothing() {
    // The renamed table's stored text reads `CREATE TABLE "users"`, differently spaced.
    let found = residue(
        USERS,
        &rebuild("( id   INTEGER PRIMARY KEY,\n email TEXT NOT NULL )"),
    )
    .await;
    assert_eq!(found, "");
}

#[tokio::test]
async fn sqlite_changed_column_and_dropped_column_order() {
    let found = residue(
        USERS,
        &rebuild("(id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '' COLLATE NOCASE)"),
    )
    .await;
    insta::assert_snapshot!(found, @r"
    changed column users.email
      collation: (none) -> nocase
      default: (none) -> ''
    ");
    let mut db = Lite::new().await;
    db.exec("CREATE TABLE t (a INT, b TEXT, c INT)").await;
    let before = db.snapshot().await;
    db.exec("ALTER TABLE t DROP COLUMN b; ALTER TABLE t ADD COLUMN b TEXT")
        .await;
    let after = db.snapshot().await;
    assert!(diff(&before, &after, &DiffOptions::default()).is_empty());
}

#[tokio::test]
async fn sqlite_snapshots_are_deterministic_and_exclude_bookkeeping() {
    let mut db = Lite::new().await;
    db.exec(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); \
         CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE, \
            n INT CHECK (n > 0), twice INT GENERATED ALWAYS AS (n * 2) STORED); \
         CREATE INDEX ix_users_n ON users (n); \
         INSERT INTO users (email, n) VALUES ('a', 1); \
         ANALYZE;",
    )
    .await;
    let opts = SnapshotOptions::from_config(&mig::config::Config::with_defaults("/x/alembic.ini"))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = db.statements().await;
    let one = db.snapshot_with(&opts).await;
    let two = db.snapshot_with(&opts).await;
    assert_eq!(one.to_json(), two.to_json());
    assert_eq!(db.statements().await - before, 2 * SQLITE_STATEMENTS);
    let labels: Vec<String> = one.objects.iter().map(|o| o.label()).collect();
    insta::assert_snapshot!(labels.join("\n"), @r"
    table users
    column users.email
    column users.id
    column users.n
    column users.twice
    constraint users.check (n > 0)
    constraint users.primary key (id) autoincrement
    constraint users.unique (email)
    index ix_users_n
    ");
    let twice = one.get(Kind::Column, "users.twice");
    assert_eq!(
        twice.and_then(|c| c.text("generated")),
        Some("n * 2 stored")
    );
}
