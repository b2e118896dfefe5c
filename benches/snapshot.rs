//! Benchmark: a catalog snapshot against `pg_dump --schema-only` on the same database, a
//! generated schema of 100 and 1,000 tables (columns, indexes, unique/check/foreign-key
//! constraints, sequences, functions, triggers, views, comments, grants) on a private
//! PostgreSQL server. Two comparisons, best of several runs each: the snapshot in-process
//! (`snapshot_postgres` on an open connection) and the snapshot as users run it, the
//! `mig --url URL snapshot` process (start, connect, snapshot, JSON on stdout), both
//! against the `pg_dump` process. Prints the times, their ratios and the object count;
//! asserts nothing about time. (That a snapshot sends a constant number of statements is
//! a test: `catalog_queries::ten_tables_and_a_hundred_take_the_same_statements`.)
//!
//! `cargo bench --bench snapshot` (`MIG_BENCH_TABLES=100,1000,5000` for other sizes).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{best_of, mig_bin, ms, ratio};
use mig::catalog::{snapshot_postgres, Kind, SnapshotOptions};
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

/// `pg_dump --schema-only` of `database`, as a command.
fn pg_dump(server: &EphemeralPostgres, database: &str) -> Command {
    // The pg_dump beside the server's binaries, so the versions match; else PATH's.
    let bindir = PgBinaries::locate(None).expect("server binaries").bindir;
    let beside = bindir.join("pg_dump");
    let program = if beside.exists() {
        beside
    } else {
        "pg_dump".into()
    };
    let mut command = Command::new(program);
    command
        .args(["--schema-only", "--no-password", "-f", "/dev/null"])
        .arg("-h")
        .arg(server.socket_dir())
        .args(["-p", "5432", "-U", SUPERUSER, "-d", database]);
    command
}

/// `mig --url URL snapshot`, JSON to stdout, from a directory without a project (so no
/// `alembic.ini` is read).
fn mig_snapshot(url: &str, cwd: &std::path::Path) -> Command {
    let mut command = Command::new(mig_bin());
    command.current_dir(cwd).args(["--url", url, "snapshot"]);
    command
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
    let empty = tempfile::tempdir().expect("a directory without a project");
    println!("snapshot vs pg_dump --schema-only (best of {RUNS}, private server on a unix socket)");
    println!(
        "{:>7} {:>9} {:>12} {:>12} {:>12} {:>10} {:>10}",
        "tables", "objects", "in-process", "mig process", "pg_dump", "in-proc/pd", "process/pd"
    );
    for tables in sizes {
        let database = format!("bench_snapshot_{tables}");
        let url = runtime
            .block_on(server.create_database(&database))
            .expect("create database");
        let (best, objects) = runtime.block_on(async {
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
            // One warm-up, then the timed runs.
            for run in 0..=RUNS {
                let start = Instant::now();
                let snapshot = snapshot_postgres(&mut conn, &SnapshotOptions::default())
                    .await
                    .expect("snapshot");
                let took = start.elapsed();
                if run > 0 {
                    best = best.min(took);
                }
                objects = snapshot.objects.len();
                assert_eq!(snapshot.of_kind(Kind::Table).count(), tables);
            }
            (best, objects)
        });
        // Warm-ups, then the processes in turn, so that load hits both alike.
        best_of(1, || pg_dump(&server, &database));
        best_of(1, || mig_snapshot(&url, empty.path()));
        let (mut dump, mut process) = (Duration::MAX, Duration::MAX);
        for _ in 0..RUNS {
            dump = dump.min(best_of(1, || pg_dump(&server, &database)));
            process = process.min(best_of(1, || mig_snapshot(&url, empty.path())));
        }
        println!(
            "{tables:>7} {objects:>9} {:>12} {:>12} {:>12} {:>10} {:>10}",
            ms(best),
            ms(process),
            ms(dump),
            ratio(best, dump),
            ratio(process, dump),
        );
        runtime
            .block_on(server.drop_database(&database))
            .expect("drop database");
    }
    println!("(ratio < 1: faster than the pg_dump process; `mig process` is the whole command)");
    server.stop().expect("stop the server");
}
