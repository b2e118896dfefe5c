//! Benchmark: the roundtrip verifier's steps mode over a generated history (default 300
//! revisions: enums, tables with foreign keys and CHECKs, indexes, functions, triggers,
//! views, added columns, comments, and every tenth revision a `Transaction: none`
//! `CREATE INDEX CONCURRENTLY`) on a fresh database of a private PostgreSQL server,
//! against the floor: the same upgrade, downgrade and upgrade SQL of each revision run by
//! `psql`, one process per revision, on the same server (the server's own work, without
//! snapshots). Prints both and their ratio; asserts nothing about time.
//!
//! `cargo bench --bench roundtrip` (`MIG_BENCH_REVISIONS=N` for another size, rounded to
//! a multiple of 10). The mig leg calls the verifier in-process on the project files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::ms;
use mig::commands::Project;
use mig::config::LoadOptions;
use mig::provision::{unique_name, EphemeralPostgres};
use mig::roundtrip::{self, Options};
use mig::url::DatabaseUrl;

/// One revision: upgrade SQL, downgrade SQL, whether it runs outside a transaction.
struct Rev {
    up: String,
    down: String,
    no_transaction: bool,
}

/// The ten revisions of group `k`.
fn group(k: usize) -> Vec<Rev> {
    let rev = |up: String, down: String| Rev {
        up,
        down,
        no_transaction: false,
    };
    vec![
        rev(
            format!("CREATE TYPE g{k}_status AS ENUM ('new', 'done', 'failed');"),
            format!("DROP TYPE g{k}_status;"),
        ),
        rev(
            format!(
                "CREATE TABLE g{k}_parent (\n    id bigserial PRIMARY KEY,\n    code text NOT NULL UNIQUE,\n    \
                 status g{k}_status NOT NULL DEFAULT 'new',\n    CHECK (length(code) > 0)\n);"
            ),
            format!("DROP TABLE g{k}_parent;"),
        ),
        rev(
            format!(
                "CREATE TABLE g{k}_child (\n    id bigserial PRIMARY KEY,\n    \
                 parent_id bigint NOT NULL REFERENCES g{k}_parent (id) ON DELETE CASCADE,\n    \
                 qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),\n    \
                 created_at timestamptz NOT NULL DEFAULT now()\n);"
            ),
            format!("DROP TABLE g{k}_child;"),
        ),
        rev(
            format!("CREATE INDEX ix_g{k}_child_parent ON g{k}_child (parent_id, created_at);"),
            format!("DROP INDEX ix_g{k}_child_parent;"),
        ),
        rev(
            format!(
                "CREATE FUNCTION g{k}_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                 BEGIN NEW.created_at := now(); RETURN NEW; END $$;"
            ),
            format!("DROP FUNCTION g{k}_touch();"),
        ),
        rev(
            format!(
                "CREATE TRIGGER trg_g{k}_touch BEFORE UPDATE ON g{k}_child\n    \
                 FOR EACH ROW EXECUTE FUNCTION g{k}_touch();"
            ),
            format!("DROP TRIGGER trg_g{k}_touch ON g{k}_child;"),
        ),
        rev(
            format!(
                "CREATE VIEW g{k}_totals AS\n    SELECT p.code, count(c.id) AS n FROM g{k}_parent p\n    \
                 LEFT JOIN g{k}_child c ON c.parent_id = p.id GROUP BY p.code;"
            ),
            format!("DROP VIEW g{k}_totals;"),
        ),
        rev(
            format!(
                "ALTER TABLE g{k}_parent ADD COLUMN note text NOT NULL DEFAULT '';\n\
                 COMMENT ON COLUMN g{k}_parent.note IS 'free text';"
            ),
            format!("ALTER TABLE g{k}_parent DROP COLUMN note;"),
        ),
        Rev {
            up: format!("CREATE INDEX CONCURRENTLY ix_g{k}_parent_status ON g{k}_parent (status);"),
            down: format!("DROP INDEX CONCURRENTLY ix_g{k}_parent_status;"),
            no_transaction: true,
        },
        rev(
            format!("COMMENT ON TABLE g{k}_child IS 'children of group {k}';"),
            format!("COMMENT ON TABLE g{k}_child IS NULL;"),
        ),
    ]
}

fn id(n: usize) -> String {
    format!("r{n:04}")
}

/// Writes the project (alembic.ini and the revision files); the revisions, in order.
fn write_project(dir: &Path, n: usize) -> Vec<Rev> {
    let revs: Vec<Rev> = (0..n.div_ceil(10)).flat_map(group).take(n).collect();
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\n\
         [mig]\ndialect = postgresql\n",
    )
    .unwrap();
    for (i, rev) in revs.iter().enumerate() {
        let revises = i.checked_sub(1).map(id).unwrap_or_default();
        let transaction = if rev.no_transaction {
            "-- Transaction: none\n"
        } else {
            ""
        };
        let text = format!(
            "-- revision {i}\n--\n-- Revision ID: {}\n-- Revises: {revises}\n{transaction}\n\
             -- migrate:upgrade\n{}\n\n-- migrate:downgrade\n{}\n",
            id(i),
            rev.up,
            rev.down
        );
        std::fs::write(dir.join("versions").join(format!("{}.sql", id(i))), text).unwrap();
    }
    revs
}

/// The floor: per revision one `psql` running its upgrade, downgrade and upgrade again,
/// each in its own transaction unless the revision runs outside one.
fn floor(revs: &[Rev], url: &str, dir: &Path) -> Duration {
    let start = Instant::now();
    for (i, rev) in revs.iter().enumerate() {
        let wrap = |sql: &str| {
            if rev.no_transaction {
                format!("{sql}\n")
            } else {
                format!("BEGIN;\n{sql}\nCOMMIT;\n")
            }
        };
        let file = dir.join(format!("floor_{i}.sql"));
        std::fs::write(
            &file,
            format!("{}{}{}", wrap(&rev.up), wrap(&rev.down), wrap(&rev.up)),
        )
        .unwrap();
        let out = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(&file)
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("spawn psql");
        assert!(
            out.status.success(),
            "psql on revision {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    start.elapsed()
}

fn main() {
    let n: usize = std::env::var("MIG_BENCH_REVISIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = EphemeralPostgres::start().expect("a private PostgreSQL server");
    let tmp = tempfile::tempdir().unwrap();
    let revs = write_project(tmp.path(), n);

    let name = unique_name("bench_floor");
    let url = runtime.block_on(server.create_database(&name)).unwrap();
    let psql = floor(&revs, &url, tmp.path());
    runtime.block_on(server.drop_database(&name)).unwrap();

    let mut opts = LoadOptions::new(tmp.path(), BTreeMap::new());
    opts.config = Some(tmp.path().join("alembic.ini"));
    let project = Project::load(&opts).expect("the generated project");
    let name = unique_name("bench_roundtrip");
    let url = runtime.block_on(server.create_database(&name)).unwrap();
    let target = DatabaseUrl::parse(&url).unwrap();
    let start = Instant::now();
    let report = runtime
        .block_on(roundtrip::verify(
            &project.config,
            &project.map,
            &target,
            "a private PostgreSQL server",
            &Options::default(),
        ))
        .expect("roundtrip");
    let mig = start.elapsed();
    runtime.block_on(server.drop_database(&name)).unwrap();
    assert_eq!(report.exit_code(), 0, "the generated history is clean");

    println!("roundtrip benchmark: {n} revisions, steps mode, one run each");
    println!("{:<44} {:>12} {:>10}", "leg", "time", "vs floor");
    println!(
        "{:<44} {:>12} {:>10}",
        "psql up/down/up per revision (floor)",
        ms(psql),
        "1.000x"
    );
    println!(
        "{:<44} {:>12} {:>10}",
        "mig roundtrip --mode steps",
        ms(mig),
        format!("{:.2}x", mig.as_secs_f64() / psql.as_secs_f64())
    );
    println!(
        "per revision: mig {}, floor {}",
        ms(mig / n as u32),
        ms(psql / n as u32)
    );
}
