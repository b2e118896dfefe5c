//! A snapshot sends a constant number of statements, whatever the number of objects; and
//! what a snapshot leaves out (mig's bookkeeping tables, `ignore` patterns).
//!
//! PostgreSQL statements are counted by the server: the private test server logs every
//! statement of a session with `log_statement = all`, under its backend's pid. SQLite
//! statements are counted from sqlx's own `sqlx::query` events (one per statement it
//! runs) by a process-wide subscriber, per name of the connection's worker thread.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use mig::catalog::{
    snapshot_postgres, snapshot_postgres_prepared, IgnorePattern, Kind, SnapshotOptions, TableRef,
    POSTGRES_STATEMENTS,
};
use sqlx::PgConnection;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata};

use crate::catalog_pg::Pg;
use crate::support;

/// A database on the private test server and one connection to it whose statements the
/// server logs.
struct Logged {
    conn: PgConnection,
    pid: i32,
    log: PathBuf,
    _db: support::PgDb,
}

impl Logged {
    async fn new(test: &str) -> Logged {
        let db = support::ephemeral_db(test);
        let mut conn = support::connect_pg(db.url())
            .await
            .unwrap_or_else(|e| panic!("connect to `{}`: {e}", db.name()));
        sqlx::raw_sql("SET log_statement = 'all'")
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("log_statement: {e}"));
        let pid = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("pid: {e}"));
        Logged {
            conn,
            pid,
            log: support::ephemeral().socket_dir().join("server.log"),
            _db: db,
        }
    }

    async fn exec(&mut self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Where the server's log ends now.
    fn mark(&self) -> usize {
        std::fs::metadata(&self.log).map_or(0, |m| m.len() as usize)
    }

    /// The statements the session sent since `mark`: each is logged (before it runs, so
    /// before its answer) as `[pid] LOG:  statement: ...` (simple protocol) or
    /// `[pid] LOG:  execute <name>: ...` (extended).
    fn sent_since(&self, mark: usize) -> usize {
        let text = std::fs::read(&self.log).unwrap_or_else(|e| panic!("server log: {e}"));
        let text = String::from_utf8_lossy(text.get(mark..).unwrap_or_default());
        let simple = format!("[{}] LOG:  statement: ", self.pid);
        let extended = format!("[{}] LOG:  execute ", self.pid);
        text.lines()
            .filter(|line| line.contains(&simple) || line.contains(&extended))
            .count()
    }
}

/// The statements sqlx ran so far on threads named `thread` (SQLite: a connection's
/// worker thread).
pub fn statements_on(thread: &str) -> usize {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(StatementCounter)
            .unwrap_or_else(|e| panic!("installing the statement counter: {e}"));
    });
    counts().lock().unwrap().get(thread).copied().unwrap_or(0)
}

/// The name of the current thread (a test's own, under the test harness).
pub fn this_thread() -> String {
    std::thread::current().name().unwrap_or("main").to_string()
}

fn counts() -> &'static Mutex<HashMap<String, usize>> {
    static COUNTS: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

/// Counts `sqlx::query` events by thread name; sees nothing else.
struct StatementCounter;

impl tracing::Subscriber for StatementCounter {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if self.enabled(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "sqlx::query"
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {
        *counts().lock().unwrap().entry(this_thread()).or_default() += 1;
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn tables(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL UNIQUE, \
                 parent int REFERENCES t{i} (id), CHECK (name <> '')); \
                 CREATE INDEX ix_t{i}_parent ON t{i} (parent); COMMENT ON TABLE t{i} IS 'n';"
            )
        })
        .collect()
}

async fn statements_for(test: &str, n: usize) -> (usize, usize) {
    let mut pg = Logged::new(test).await;
    pg.exec(&tables(n)).await;
    let mark = pg.mark();
    let snapshot = snapshot_postgres(&mut pg.conn, &SnapshotOptions::default())
        .await
        .unwrap_or_else(|e| panic!("snapshot: {e}"));
    (pg.sent_since(mark), snapshot.of_kind(Kind::Table).count())
}

#[tokio::test]
async fn ten_tables_and_a_hundred_take_the_same_statements() {
    let (small, small_tables) = statements_for("cat_count_10", 10).await;
    let (large, large_tables) = statements_for("cat_count_100", 100).await;
    assert_eq!((small_tables, large_tables), (10, 100));
    assert_eq!(small, large);
    assert_eq!(small, POSTGRES_STATEMENTS);
}

/// A session that takes many snapshots prepares the statement once (one `PREPARE` more
/// the first time), and every later snapshot reads what the unnamed one reads.
#[tokio::test]
async fn a_prepared_snapshot_sends_the_same_statements_and_reads_the_same() {
    let mut pg = Logged::new("cat_prepared").await;
    pg.exec(&tables(3)).await;
    let opts = SnapshotOptions::default();
    let mut sent = Vec::new();
    let mut taken = Vec::new();
    for _ in 0..3 {
        let mark = pg.mark();
        let snapshot = snapshot_postgres_prepared(&mut pg.conn, &opts)
            .await
            .unwrap_or_else(|e| panic!("snapshot: {e}"));
        sent.push(pg.sent_since(mark));
        taken.push(snapshot.to_json());
        pg.exec("CREATE TABLE later (id int)").await;
        pg.exec("DROP TABLE later").await;
    }
    assert_eq!(
        sent,
        [
            POSTGRES_STATEMENTS + 1,
            POSTGRES_STATEMENTS,
            POSTGRES_STATEMENTS
        ]
    );
    let unnamed = snapshot_postgres(&mut pg.conn, &opts)
        .await
        .unwrap_or_else(|e| panic!("snapshot: {e}"))
        .to_json();
    assert!(taken.iter().all(|json| *json == unnamed));
    assert!(unnamed.contains("public.t2"));
}

#[tokio::test]
async fn bookkeeping_tables_and_ignored_objects_are_left_out() {
    let mut pg = Pg::new("cat_excluded").await;
    pg.exec(
        "CREATE SCHEMA zero_admin; \
         CREATE TABLE zero_admin.alembic_version (version_num varchar(32) NOT NULL, \
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); \
         CREATE TABLE zero_admin.mig_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); \
         COMMENT ON TABLE zero_admin.mig_history IS 'audit'; \
         CREATE TABLE public.spatial_ref_sys (srid int PRIMARY KEY); \
         CREATE TABLE public.keep (id int); \
         CREATE SCHEMA tiger; CREATE TABLE tiger.edges (id int);",
    )
    .await;
    let opts = SnapshotOptions {
        bookkeeping: vec![
            TableRef {
                schema: Some("zero_admin".into()),
                name: "alembic_version".into(),
            },
            TableRef {
                schema: Some("zero_admin".into()),
                name: "mig_history".into(),
            },
        ],
        ignore: ["table public.spatial_*", "schema tiger"]
            .iter()
            .map(|p| IgnorePattern::parse(p).unwrap_or_else(|e| panic!("{e}")))
            .collect(),
    };
    let snapshot = pg.snapshot_with(&opts).await;
    let labels: Vec<String> = snapshot.objects.iter().map(|o| o.label()).collect();
    insta::assert_snapshot!(labels.join("\n"), @r"
    schema public
    schema zero_admin
    table public.keep
    column public.keep.id
    grant on schema public to PUBLIC
    comment on schema public
    ");
}
