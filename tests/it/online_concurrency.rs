//! Reliability (SPEC section 11): concurrent runs on one fresh database, `CREATE INDEX
//! CONCURRENTLY` under the session lock, and a SIGKILL in the middle of a revision.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mig::config::{Config, ExecSettings};
use mig::engine;
use mig::provision::TempSqlite;
use mig::revision::Revision;
use mig::url::DatabaseUrl;

use crate::online_support::*;
use crate::support;

const IDS: [&str; 6] = ["r1", "r2", "r3", "r4", "r5", "r6"];
const RUNS: usize = 8;

/// Runs `RUNS` upgrades to the head of [`chain`] at once, each on its own thread,
/// runtime and connection; returns their results.
fn upgrade_concurrently(
    config: &Config,
    target: &DatabaseUrl,
) -> Vec<Result<engine::Outcome, String>> {
    let revisions = graph(chain(&IDS));
    let start = std::sync::Barrier::new(RUNS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..RUNS)
            .map(|_| {
                scope.spawn(|| {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    start.wait();
                    runtime
                        .block_on(engine::upgrade(
                            config,
                            target,
                            &revisions,
                            |heads: &[String]| upgrade_plan(&revisions, &IDS, heads, "r6"),
                        ))
                        .map_err(|err| err.to_string())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn assert_each_body_ran_once(
    results: &[Result<engine::Outcome, String>],
    side_effects: Vec<String>,
) {
    for result in results {
        assert!(result.is_ok(), "{result:?}");
    }
    let steps: usize = results
        .iter()
        .map(|r| r.as_ref().map_or(0, |o| o.steps.len()))
        .sum();
    assert_eq!(steps, IDS.len(), "steps run across all runs");
    let mut seen = side_effects;
    seen.sort();
    assert_eq!(seen, IDS);
    for result in results.iter().flatten() {
        assert_eq!(result.end_heads, ["r6"]);
    }
}

#[test]
fn eight_concurrent_upgrades_on_postgres_run_each_body_once() {
    let db = support::pg_db("concurrent_pg");
    support::block_on(async {
        let mut conn = pg(db.url()).await;
        exec_pg(&mut conn, "CREATE TABLE side_effects (revision TEXT)").await;
    });
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let results = upgrade_concurrently(&config, &target);
    let seen = support::block_on(async {
        let mut conn = pg(db.url()).await;
        strings_pg(&mut conn, "SELECT revision FROM side_effects").await
    });
    assert_each_body_ran_once(&results, seen);
    let heads = support::block_on(engine::current(&config, &target)).unwrap();
    assert_eq!(heads, ["r6"]);
}

#[test]
fn eight_concurrent_upgrades_on_sqlite_run_each_body_once() {
    let file = TempSqlite::new().unwrap();
    support::block_on(async {
        let mut conn = lite(file.path()).await;
        exec_lite(&mut conn, "CREATE TABLE side_effects (revision TEXT)").await;
    });
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    let results = upgrade_concurrently(&config, &target);
    let seen = support::block_on(async {
        let mut conn = lite(file.path()).await;
        strings_lite(&mut conn, "SELECT revision FROM side_effects").await
    });
    assert_each_body_ran_once(&results, seen);
    assert_eq!(
        support::block_on(engine::current(&config, &target)).unwrap(),
        ["r6"]
    );
}

/// SQLite has no session lock: when the version table moves between two transactions of
/// a run, the run stops before the next step and plans again from what it finds. Here the
/// first revision's body moves it (deterministically, unlike a racing process).
#[tokio::test]
async fn sqlite_plans_again_when_the_version_table_moves_between_steps() {
    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    let ids = ["r1", "r2", "r3"];
    let mut revisions = chain(&ids);
    revisions[0].upgrade.sql = "INSERT INTO side_effects VALUES ('r1');\n\
                                INSERT INTO alembic_version VALUES ('other');"
        .into();
    let revisions = graph(revisions);
    let mut conn = lite(file.path()).await;
    exec_lite(&mut conn, "CREATE TABLE side_effects (revision TEXT)").await;

    let mut seen_heads: Vec<Vec<String>> = Vec::new();
    let outcome = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        let mut sorted = heads.to_vec();
        sorted.sort();
        seen_heads.push(sorted);
        let ours: Vec<String> = heads.iter().filter(|h| *h != "other").cloned().collect();
        let mut plan = upgrade_plan(&revisions, &ids, &ours, "r3")?;
        plan.start_heads = heads.to_vec();
        Ok::<_, String>(plan)
    })
    .await
    .unwrap();
    assert_eq!(
        seen_heads,
        [vec![], vec!["other".to_string(), "r1".to_string()]]
    );
    let logs: Vec<&str> = outcome.steps.iter().map(|s| s.log.as_str()).collect();
    assert_eq!(
        logs,
        ["upgrade  -> r1", "upgrade r1 -> r2", "upgrade r2 -> r3"]
    );
    let mut heads = outcome.end_heads.clone();
    heads.sort();
    assert_eq!(heads, ["other", "r3"]);
    assert_eq!(
        strings_lite(
            &mut conn,
            "SELECT revision FROM side_effects ORDER BY rowid"
        )
        .await,
        ids
    );
}

#[tokio::test]
async fn create_index_concurrently_under_the_session_lock_does_not_deadlock() {
    let db = support::pg_db("cic");
    let config = config(ExecSettings {
        lock_timeout: Duration::from_secs(5),
        ..ExecSettings::default()
    });
    assert!(config.exec.lock);
    let target = url(db.url());
    let ids = ["a", "b", "c"];
    let revisions = graph(vec![
        rev(
            "a",
            &[],
            "CREATE TABLE t (x INTEGER);\nINSERT INTO t SELECT generate_series(1, 1000);",
            "DROP TABLE t;",
        ),
        outside_transaction(rev(
            "b",
            &["a"],
            "CREATE INDEX CONCURRENTLY ix_t_x ON t (x);",
            "DROP INDEX CONCURRENTLY ix_t_x;",
        )),
        rev(
            "c",
            &["b"],
            "ALTER TABLE t ADD COLUMN y INTEGER;",
            "ALTER TABLE t DROP COLUMN y;",
        ),
    ]);
    let run = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &ids, heads, "c")
    });
    let outcome = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the upgrade deadlocked")
        .unwrap();
    assert_eq!(outcome.end_heads, ["c"]);
    let mut conn = pg(db.url()).await;
    let valid: bool =
        sqlx::query_scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_t_x'::regclass")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(valid);
}

const KILL_CHILD_ENV: &str = "MIG_IT_ONLINE_KILL_CHILD";
const KILL_TEST: &str =
    "online_concurrency::sigkill_during_a_transactional_revision_leaves_the_previous_revision";

/// `b` creates a table, then sleeps: the parent kills the process running it.
fn sleepy() -> Vec<Revision> {
    vec![
        rev(
            "a",
            &[],
            "CREATE TABLE before_kill (id INTEGER);",
            "DROP TABLE before_kill;",
        ),
        rev(
            "b",
            &["a"],
            "CREATE TABLE partial (id INTEGER);\nSELECT pg_sleep(5);",
            "DROP TABLE partial;",
        ),
    ]
}

async fn sleepy_upgrade(db_url: &str, to: &str) -> Result<engine::Outcome, String> {
    let revisions = graph(sleepy());
    engine::upgrade(
        &config(ExecSettings::default()),
        &url(db_url),
        &revisions,
        |heads: &[String]| upgrade_plan(&revisions, &["a", "b"], heads, to),
    )
    .await
    .map_err(|err| err.to_string())
}

#[test]
fn sigkill_during_a_transactional_revision_leaves_the_previous_revision() {
    if let Ok(db_url) = std::env::var(KILL_CHILD_ENV) {
        println!("CHILD STARTED");
        let result = support::block_on(sleepy_upgrade(&db_url, "b"));
        panic!("the parent should have killed this process; the run returned {result:?}");
    }
    let db = support::pg_db("sigkill");
    support::block_on(sleepy_upgrade(db.url(), "a")).unwrap();

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([KILL_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(KILL_CHILD_ENV, db.url())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let started = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("CHILD STARTED"));
    assert!(started, "the child did not start");

    let sleeping = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig' \
                    AND datname = current_database() AND state = 'active' \
                    AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(5)%'";
    let lock_held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
                     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    let count = |sql: &'static str| {
        let url = db.url().to_string();
        support::block_on(async move {
            let mut conn = pg(&url).await;
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(sleeping) == 0 {
        assert!(
            Instant::now() < deadline,
            "the child never reached pg_sleep"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(count(lock_held), 1, "the child holds the migration lock");
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback from the client
    child.wait().unwrap();

    // The server notices the dead client when the sleep ends, rolls back and ends the
    // session, which frees the session-level lock.
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(lock_held) > 0 {
        assert!(
            Instant::now() < deadline,
            "the lock outlived the killed session"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    support::block_on(async {
        let mut conn = pg(db.url()).await;
        assert!(!pg_table_exists(&mut conn, "partial").await);
        assert!(pg_table_exists(&mut conn, "before_kill").await);
    });
    let config = config(ExecSettings::default());
    assert_eq!(
        support::block_on(engine::current(&config, &url(db.url()))).unwrap(),
        ["a"]
    );

    let outcome = support::block_on(sleepy_upgrade(db.url(), "b")).unwrap();
    assert_eq!(outcome.end_heads, ["b"]);
    support::block_on(async {
        let mut conn = pg(db.url()).await;
        assert!(pg_table_exists(&mut conn, "partial").await);
    });
}

#[tokio::test]
async fn a_held_lock_times_out_naming_the_holder() {
    let db = support::pg_db("engine_lock_timeout");
    let mut holder = mig::db::Connection::Postgres(pg(db.url()).await);
    let held = mig::db::MigrationLock::acquire(
        &mut holder,
        None,
        "alembic_version",
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    let config = config(ExecSettings {
        lock_timeout: Duration::from_millis(300),
        ..ExecSettings::default()
    });
    let revisions = graph(chain(&IDS));
    let err = engine::upgrade(&config, &url(db.url()), &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &IDS, heads, "r6")
    })
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), 3);
    let text = err.to_string();
    assert!(
        text.starts_with("timed out after 0.3s waiting for the migration lock `mig:"),
        "{text}"
    );
    assert!(text.contains("application_name `mig`"), "{text}");
    held.release(&mut holder).await.unwrap();
    let mut conn = pg(db.url()).await;
    exec_pg(&mut conn, "CREATE TABLE side_effects (revision TEXT)").await;
    engine::upgrade(&config, &url(db.url()), &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &IDS, heads, "r6")
    })
    .await
    .unwrap();
}
