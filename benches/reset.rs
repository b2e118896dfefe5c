//! Benchmark (SPEC section 22): `mig reset --dry-run` on a generated N-table schema
//! (default 1,000): wall time through the binary, which must stay under 2 s with a
//! constant number of queries plus one count per table; and `mig reset --strategy
//! truncate` against the floor of one hand-written `TRUNCATE ... CASCADE` of the same
//! tables sent by `psql`. Prints times and ratios; asserts nothing about time.
//!
//! `cargo bench --bench reset` (`MIG_BENCH_TABLES=N` for another size).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{best_of, mig_bin, ms, ratio};
use mig::db::connect_postgres;
use mig::provision::binaries::locate_client;
use mig::provision::EphemeralPostgres;

const RUNS: usize = 3;

fn table(i: usize) -> String {
    format!("t_{i:05}")
}

fn project(dir: &Path, tables: usize) {
    let mut up = String::new();
    let mut down = String::new();
    for i in 0..tables {
        up.push_str(&format!(
            "CREATE TABLE {} (id serial PRIMARY KEY, name text NOT NULL);\n",
            table(i)
        ));
        down.push_str(&format!("DROP TABLE {};\n", table(i)));
    }
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n",
    )
    .expect("ini");
    std::fs::create_dir_all(dir.join("versions")).expect("versions");
    std::fs::write(
        dir.join("versions/r1.sql"),
        format!("-- r1\n--\n-- Revision ID: r1\n-- Revises:\n\n-- migrate:upgrade\n{up}\n-- migrate:downgrade\n{down}"),
    )
    .expect("revision");
}

fn fill(runtime: &tokio::runtime::Runtime, url: &str, tables: usize) {
    let sql: String = (0..tables)
        .map(|i| {
            format!(
                "INSERT INTO {} (name) SELECT 'x' FROM generate_series(1, 10);\n",
                table(i)
            )
        })
        .collect();
    runtime.block_on(async {
        let url = mig::url::DatabaseUrl::parse(url).expect("a database URL");
        let mut conn = connect_postgres(&url, None).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("fill");
    });
}

fn mig(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(mig_bin());
    cmd.current_dir(dir).arg("--url").arg(url).args(args);
    cmd
}

fn main() {
    let tables: usize = std::env::var("MIG_BENCH_TABLES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1000);
    let server = EphemeralPostgres::start().expect("start a private PostgreSQL server");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = runtime
        .block_on(server.create_database("bench_reset"))
        .expect("create database");
    let dir = tempfile::tempdir().expect("tempdir");
    project(dir.path(), tables);
    let out = mig(dir.path(), &url, &["upgrade", "head"])
        .output()
        .expect("upgrade");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fill(&runtime, &url, tables);

    let dry = best_of(RUNS, || {
        mig(dir.path(), &url, &["reset", "--dry-run", "--no-backup"])
    });
    println!(
        "reset --dry-run, {tables} tables of 10 rows: {} (best of {RUNS}; under 2 s: {})",
        ms(dry),
        dry < Duration::from_secs(2)
    );

    let (psql, _) = locate_client("psql", 0).expect("psql");
    let truncate_sql = format!(
        "TRUNCATE {} RESTART IDENTITY CASCADE",
        (0..tables).map(table).collect::<Vec<_>>().join(", ")
    );
    let (mut mig_best, mut floor_best) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        fill(&runtime, &url, tables);
        let start = Instant::now();
        let out = mig(
            dir.path(),
            &url,
            &[
                "reset",
                "--strategy",
                "truncate",
                "--yes",
                "--no-backup",
                "--seed",
                "none",
            ],
        )
        .output()
        .expect("reset");
        mig_best = mig_best.min(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        fill(&runtime, &url, tables);
        let start = Instant::now();
        let out = Command::new(&psql)
            .arg("--no-psqlrc")
            .arg("-d")
            .arg(&url)
            .arg("-c")
            .arg(&truncate_sql)
            .output()
            .expect("psql");
        floor_best = floor_best.min(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "reset --strategy truncate: {} vs psql TRUNCATE ... CASCADE {}: {}",
        ms(mig_best),
        ms(floor_best),
        ratio(mig_best, floor_best)
    );
    server.stop().expect("stop the server");
}
