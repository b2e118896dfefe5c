//! Benchmark: applying N small `CREATE TABLE` revisions (default 1,000) to a fresh
//! database on a private PostgreSQL server: the mig engine, against the floor (`psql -1 -f`
//! of the concatenated SQL: the server's own work) and real Alembic (`alembic upgrade
//! head`, `op.execute` revisions, env.py with the version-table defaults). Each leg gets a
//! fresh database per run; the best of a few runs is kept. Prints times, ratios and the
//! overhead above the floor; asserts nothing about time (not a timed test).
//!
//! `cargo bench --bench apply` (`MIG_BENCH_REVISIONS=N` for another size, `ALEMBIC=path`
//! to use an installed Alembic with psycopg 3, `MIG_BENCH_ALEMBIC=0` to skip that leg).
//! The mig leg calls the engine in-process: no process start and no revision-file parsing,
//! which the CLI adds on top (a few milliseconds).

mod common;

use std::convert::Infallible;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{alembic_bin, ms};
use mig::config::{Config, ExecSettings};
use mig::provision::{unique_name, EphemeralPostgres};
use mig::revision::graph::RevisionMap;
use mig::revision::plan::{Action, Plan, Step, VersionOp};
use mig::revision::{Downgrade, Revision, Section, TransactionMode};
use mig::url::DatabaseUrl;

const RUNS: usize = 5;

fn id(n: usize) -> String {
    format!("r{n:06}")
}

fn body(n: usize) -> String {
    format!(
        "CREATE TABLE t_{} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TIMESTAMPTZ)",
        id(n)
    )
}

fn revisions(n: usize) -> Vec<Revision> {
    (0..n)
        .map(|i| Revision {
            id: id(i),
            down_revisions: i.checked_sub(1).map(id).into_iter().collect(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: format!("rev {i}"),
            create_date: None,
            transaction: TransactionMode::Default,
            downgrade_keeps: Vec::new(),
            upgrade: Section {
                sql: format!("{};", body(i)),
                line: 7,
            },
            downgrade: Downgrade::Sql(Section {
                sql: format!("DROP TABLE t_{};", id(i)),
                line: 10,
            }),
            path: format!("versions/{}.sql", id(i)).into(),
            lines: Default::default(),
        })
        .collect()
}

/// `upgrade head` from an empty database, over `map` (the `n` revisions).
fn plan(map: &RevisionMap, n: usize) -> Plan<'_> {
    let steps = (0..n)
        .map(|i| Step {
            action: Action::Upgrade(map.get(&id(i)).expect("planned revision").revision()),
            from: i.checked_sub(1).map(id).into_iter().collect(),
            to: vec![id(i)],
            ops: vec![match i.checked_sub(1) {
                None => VersionOp::Insert { version: id(i) },
                Some(p) => VersionOp::Update {
                    from: id(p),
                    to: id(i),
                },
            }],
        })
        .collect();
    Plan {
        steps,
        start_heads: Vec::new(),
        end_heads: n.checked_sub(1).map(id).into_iter().collect(),
    }
}

/// One way of applying the revisions to a fresh database (given its URL and name).
type Leg<'a> = Box<dyn FnMut(&str, &str) -> Duration + 'a>;

/// Runs every leg `RUNS` times, interleaved (round by round, each on a fresh database) so
/// that load changes on the machine hit every leg alike; the fastest time of each.
fn best_of_interleaved(
    server: &EphemeralPostgres,
    runtime: &tokio::runtime::Runtime,
    legs: &mut [(&str, Leg<'_>)],
) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; legs.len()];
    for _ in 0..RUNS {
        for (i, (_, leg)) in legs.iter_mut().enumerate() {
            let name = unique_name("bench_apply");
            let url = runtime
                .block_on(server.create_database(&name))
                .expect("create database");
            best[i] = best[i].min(leg(&url, &name));
            runtime
                .block_on(server.drop_database(&name))
                .expect("drop database");
        }
    }
    best
}

fn run(mut command: Command) {
    let out = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("spawn");
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_alembic_project(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\npath_separator = os\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("env.py"),
        "import os\nfrom alembic import context\nfrom sqlalchemy import create_engine\n\
         engine = create_engine(os.environ['BENCH_URL'])\n\
         with engine.connect() as connection:\n    context.configure(connection=connection)\n\
         \x20   with context.begin_transaction():\n        context.run_migrations()\n",
    )
    .unwrap();
    for i in 0..n {
        let down = i
            .checked_sub(1)
            .map_or("None".to_string(), |p| format!("'{}'", id(p)));
        std::fs::write(
            dir.join("versions").join(format!("{}_rev.py", id(i))),
            format!(
                "\"\"\"rev {i}\"\"\"\nfrom alembic import op\nrevision = '{}'\ndown_revision = {down}\n\
                 branch_labels = None\ndepends_on = None\n\
                 def upgrade():\n    op.execute(\"{}\")\n\
                 def downgrade():\n    op.execute('DROP TABLE t_{}')\n",
                id(i),
                body(i),
                id(i)
            ),
        )
        .unwrap();
    }
}

fn main() {
    let n: usize = std::env::var("MIG_BENCH_REVISIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = EphemeralPostgres::start().expect("a private PostgreSQL server");
    let revisions = RevisionMap::new(revisions(n)).expect("a linear history");
    let plan = plan(&revisions, n);
    let tmp = tempfile::tempdir().unwrap();
    let with_alembic = std::env::var("MIG_BENCH_ALEMBIC").as_deref() != Ok("0");
    let alembic_dir = tmp.path().join("alembic");

    let sql_file = tmp.path().join("all.sql");
    let all: String = (0..n).map(|i| format!("{};\n", body(i))).collect();
    std::fs::write(&sql_file, all).unwrap();
    let psql: Leg<'_> = Box::new(|url, _| {
        let mut c = Command::new("psql");
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f"])
            .arg(&sql_file)
            .arg(url);
        let start = Instant::now();
        run(c);
        start.elapsed()
    });

    let mig_leg = |settings: ExecSettings| -> Leg<'_> {
        let revisions = &revisions;
        let plan = &plan;
        let runtime = &runtime;
        Box::new(move |url: &str, _: &str| {
            let mut config = Config::with_defaults("/nonexistent/alembic.ini");
            config.exec = settings.clone();
            let target = DatabaseUrl::parse(url).unwrap();
            let start = Instant::now();
            runtime
                .block_on(mig::engine::upgrade(
                    &config,
                    &target,
                    revisions,
                    |_: &[String]| Ok::<_, Infallible>(plan.clone()),
                ))
                .expect("mig upgrade");
            start.elapsed()
        })
    };
    let mut legs: Vec<(&str, Leg<'_>)> = vec![
        ("psql -1 -f (floor)", psql),
        ("mig engine", mig_leg(ExecSettings::default())),
        (
            "mig engine, history_table empty",
            mig_leg(ExecSettings {
                history_table: None,
                ..ExecSettings::default()
            }),
        ),
    ];

    if with_alembic {
        write_alembic_project(&alembic_dir, n);
        let bin = alembic_bin();
        let socket = server.socket_dir().display().to_string();
        let dir = &alembic_dir;
        legs.push((
            "alembic upgrade head",
            Box::new(move |_, name| {
                let mut c = Command::new(&bin);
                c.args(["upgrade", "head"]).current_dir(dir).env(
                    "BENCH_URL",
                    format!("postgresql+psycopg://mig@/{name}?host={socket}&port=5432"),
                );
                let start = Instant::now();
                run(c);
                start.elapsed()
            }),
        ));
    }
    let times = best_of_interleaved(&server, &runtime, &mut legs);
    let names: Vec<&str> = legs.iter().map(|(name, _)| *name).collect();
    drop(legs);
    let psql = times[0];
    let mig = times[1];

    println!("apply benchmark: {n} CREATE TABLE revisions on a fresh database, best of {RUNS}");
    println!(
        "{:<34} {:>12} {:>10} {:>14}",
        "leg", "time", "vs psql", "above floor"
    );
    let line = |name: &str, took: Duration| {
        println!(
            "{:<34} {:>12} {:>10} {:>14}",
            name,
            ms(took),
            format!("{:.3}x", took.as_secs_f64() / psql.as_secs_f64()),
            ms(took.saturating_sub(psql))
        );
    };
    for (name, took) in names.iter().zip(&times) {
        line(name, *took);
    }
    if let Some(alembic) = times.get(3) {
        let over_mig = mig.saturating_sub(psql);
        let over_alembic = alembic.saturating_sub(psql);
        if over_mig.is_zero() {
            println!(
                "overhead above the floor: mig none measurable, alembic {}",
                ms(over_alembic)
            );
        } else {
            println!(
                "overhead above the floor: alembic / mig = {:.1}x",
                over_alembic.as_secs_f64() / over_mig.as_secs_f64()
            );
        }
    }
    println!(
        "target: mig within 1.15x of psql -> {:.3}x",
        mig.as_secs_f64() / psql.as_secs_f64()
    );
}
