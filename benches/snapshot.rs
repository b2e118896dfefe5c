//! Benchmark: a catalog snapshot (`snapshot_postgres`) against `pg_dump --schema-only` on
//! the same database, a generated schema of 100 and 1,000 tables (columns, indexes,
//! unique/check/foreign-key constraints, sequences, functions, triggers, views, comments,
//! grants) on a private PostgreSQL server. Prints the best of several runs of each, their
//! ratio, the object count and the statements one snapshot sends (`QueryCounter`), which
//! must not grow with the schema. Asserts only that the query count is constant.
//!
//! `cargo bench --bench snapshot` (`MIG_BENCH_TABLES=100,1000,5000` for other sizes).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mig::catalog::{snapshot_postgres, Kind, QueryCounter, SnapshotOptions};
use mig::db::connect_postgres;
use mig::provision::{EphemeralPostgres, PgBinaries, SUPERUSER};

const RUNS: usize = 5;

/// DDL for table `i` of a schema: about 12 columns, 4 indexes, 4 constraints and a
/// sequence per table; a function every 4th table, a trigger every 5th, a view every 8th.
fn table_ddl(i: usize) -> String {
    let mut sql = String::new();
    let parent = if i > 0 {
        format!(
            ",\n    parent_id bigint REFERENCES app.t_{} (id) ON DELETE SET NULL",
            i - 1
        )
    } else {
        String::new()
    };
    sql.push_str(&format!(
        "CREATE TABLE app.t_{i} (
    id bigserial PRIMARY KEY,
    tenant_id uuid NOT NULL,
    code varchar(32) NOT NULL,
    name text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done', 'failed')),
    amount numeric(12, 2),
    quantity integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    payload jsonb NOT NULL DEFAULT '{{}}',
    tags text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(){parent},
    UNIQUE (tenant_id, code)
);
CREATE INDEX ix_t_{i}_tenant_created ON app.t_{i} (tenant_id, created_at);
CREATE INDEX ix_t_{i}_status ON app.t_{i} (status) WHERE status <> 'done';
COMMENT ON TABLE app.t_{i} IS 'table {i}';
"
    ));
    if i % 4 == 0 {
        sql.push_str(&format!(
            "CREATE FUNCTION app.f_{i}(p_tenant uuid, p_limit integer DEFAULT 10) RETURNS bigint
LANGUAGE sql STABLE AS $$ SELECT count(*) FROM app.t_{i} WHERE tenant_id = p_tenant LIMIT p_limit $$;
"
        ));
    }
    if i % 5 == 0 {
        sql.push_str(&format!(
            "CREATE TRIGGER trg_t_{i}_touch BEFORE UPDATE ON app.t_{i}
    FOR EACH ROW EXECUTE FUNCTION app.touch();
"
        ));
    }
    if i % 8 == 0 {
        sql.push_str(&format!(
            "CREATE VIEW app.v_{i} AS SELECT id, tenant_id, name FROM app.t_{i} WHERE status = 'new';
GRANT SELECT ON app.v_{i} TO PUBLIC;
"
        ));
    }
    sql
}

fn schema_ddl(tables: usize) -> String {
    let mut sql = String::from(
        "CREATE SCHEMA app;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
",
    );
    for i in 0..tables {
        sql.push_str(&table_ddl(i));
    }
    sql
}

fn pg_dump(server: &EphemeralPostgres, database: &str) -> Duration {
    // The pg_dump beside the server's binaries, so the versions match; else PATH's.
    let bindir = PgBinaries::locate(None).expect("server binaries").bindir;
    let beside = bindir.join("pg_dump");
    let program = if beside.exists() {
        beside
    } else {
        "pg_dump".into()
    };
    let start = Instant::now();
    let out = Command::new(program)
        .args(["--schema-only", "--no-password", "-f", "/dev/null"])
        .arg("-h")
        .arg(server.socket_dir())
        .args(["-p", "5432", "-U", SUPERUSER, "-d", database])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run pg_dump");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("MIG_BENCH_TABLES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000]);
    let server = EphemeralPostgres::start().expect("start a private PostgreSQL server");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("snapshot_postgres vs pg_dump --schema-only (best of {RUNS}, private server on a unix socket)");
    println!(
        "{:>7} {:>9} {:>12} {:>12} {:>8} {:>8}",
        "tables", "objects", "snapshot", "pg_dump", "ratio", "queries"
    );
    let mut query_counts = Vec::new();
    for tables in sizes {
        let database = format!("bench_snapshot_{tables}");
        let url = runtime
            .block_on(server.create_database(&database))
            .expect("create database");
        let (best, objects, queries) = runtime.block_on(async {
            let mut conn =
                connect_postgres(&mig::url::DatabaseUrl::parse(&url).expect("url"), None)
                    .await
                    .expect("connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(schema_ddl(tables)))
                .execute(&mut conn)
                .await
                .expect("create the schema");
            sqlx::raw_sql("ANALYZE")
                .execute(&mut conn)
                .await
                .expect("analyze");
            let mut best = Duration::MAX;
            let mut objects = 0;
            let mut queries = 0;
            // One warm-up, then the timed runs.
            for run in 0..=RUNS {
                let opts = SnapshotOptions {
                    queries: QueryCounter::default(),
                    ..SnapshotOptions::default()
                };
                let start = Instant::now();
                let snapshot = snapshot_postgres(&mut conn, &opts).await.expect("snapshot");
                let took = start.elapsed();
                if run > 0 {
                    best = best.min(took);
                }
                objects = snapshot.objects.len();
                queries = opts.queries.get();
                assert_eq!(snapshot.of_kind(Kind::Table).count(), tables);
            }
            (best, objects, queries)
        });
        pg_dump(&server, &database);
        let dump = (0..RUNS)
            .map(|_| pg_dump(&server, &database))
            .min()
            .unwrap_or_default();
        println!(
            "{tables:>7} {objects:>9} {:>12} {:>12} {:>7.2}x {queries:>8}",
            ms(best),
            ms(dump),
            best.as_secs_f64() / dump.as_secs_f64().max(1e-9),
        );
        query_counts.push(queries);
        runtime
            .block_on(server.drop_database(&database))
            .expect("drop database");
    }
    query_counts.dedup();
    assert_eq!(
        query_counts.len(),
        1,
        "the number of queries per snapshot grew with the schema"
    );
    println!("(ratio < 1: the snapshot is faster than pg_dump; queries per snapshot are constant)");
    server.stop().expect("stop the server");
}
