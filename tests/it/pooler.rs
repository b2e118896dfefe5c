//! Through connection poolers (issue 14): a real PgBouncer in transaction mode and in
//! session mode in front of the private PostgreSQL. Every online command works through
//! each, five times in a row (the failures were intermittent); eight concurrent upgrades
//! through the transaction pooler run each body once; `Transaction: none` revisions are
//! refused there (exit 2, naming the revision) and run through session mode; the
//! `search_path` a run sets does not leak to the pooler's other clients.

use std::path::Path;

use crate::runbook::runbook;
use crate::support::pgbouncer::{PgBouncer, PoolMode};
use crate::support::project::{project_with_ini, revision};
use crate::support::{block_on, ephemeral_db, pg_query, repo, Mig, Run};

/// With it, the version table and the revisions' tables live in `app`, set through
/// `search_path`.
const IN_APP: &str = "version_table_schema = app\nsearch_path = app, public\n";

/// `r1 -> r2 -> r3`, each creating a table (in the configured `search_path`'s first
/// schema); with `record`, each upgrade also records its run in `public.ran` (which the
/// test creates).
fn project(mig_section: &str, record: bool, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = [("r1", ""), ("r2", "r1"), ("r3", "r2")]
        .into_iter()
        .map(|(id, down)| {
            let record = if record {
                format!("INSERT INTO public.ran VALUES ('{id}');\n")
            } else {
                String::new()
            };
            let up = format!("{record}CREATE TABLE t_{id} (id int PRIMARY KEY);");
            let text = revision(id, down, &up, &format!("DROP TABLE t_{id};"));
            (format!("{id}_t.sql"), text)
        })
        .collect();
    files.extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    project_with_ini(
        &format!("[alembic]\nscript_location = %(here)s\n\n[mig]\n{mig_section}"),
        &files,
    )
}

fn ok(dir: &Path, url: &str, args: &[&str], bouncer: &PgBouncer) -> String {
    let out = Mig::new(dir).url(url).args(args).run();
    assert!(
        out.code == 0,
        "mig {args:?} failed ({}):\n{}\n{}\nPgBouncer log:\n{}",
        out.code,
        out.stdout,
        out.stderr,
        bouncer.log()
    );
    out.stdout
}

fn every_command_five_times(mode: PoolMode) {
    let bouncer = PgBouncer::get(mode);
    let db = ephemeral_db(&format!("pooler_{mode:?}").to_lowercase());
    let url = bouncer.url(db.name());
    let proj = project(IN_APP, true, &[]);
    let dir = proj.path();
    pg_query(db.url(), "CREATE TABLE public.ran (rev text)");
    let out = Mig::new(dir).url(&url).args(["current"]).run();
    let announced = out.stderr.contains(
        "INFO  [mig] Through a transaction-mode pooler (detected: transactions ran on \
         different server backends)",
    );
    assert_eq!(announced, mode == PoolMode::Transaction, "{out:?}");
    for round in 0..5 {
        ok(dir, &url, &["upgrade", "head"], bouncer);
        assert_eq!(
            ok(dir, &url, &["current"], bouncer),
            "r3 (head)\n",
            "{round}"
        );
        let status = ok(dir, &url, &["status"], bouncer);
        assert!(status.ends_with("up to date\n"), "{round}: {status}");
        assert_eq!(
            status.contains("target: transaction-mode pooler (detected"),
            mode == PoolMode::Transaction,
            "{round}: {status}"
        );
        ok(dir, &url, &["check"], bouncer);
        ok(
            dir,
            &url,
            &["accept", "r1", "--reason", "pooler test"],
            bouncer,
        );
        ok(dir, &url, &["downgrade", "r1"], bouncer);
        assert_eq!(ok(dir, &url, &["current"], bouncer), "r1\n", "{round}");
        ok(dir, &url, &["stamp", "head"], bouncer);
        assert_eq!(
            ok(dir, &url, &["current"], bouncer),
            "r3 (head)\n",
            "{round}"
        );
        ok(dir, &url, &["stamp", "r1"], bouncer);
        ok(dir, &url, &["upgrade", "head"], bouncer);
        ok(dir, &url, &["downgrade", "base"], bouncer);
        assert_eq!(ok(dir, &url, &["current"], bouncer), "", "{round}");
        let json = ok(dir, &url, &["--format", "json", "status"], bouncer);
        let json: serde_json::Value = serde_json::from_str(&json).expect("status json");
        assert_eq!(json["pending"], 3, "{round}: {json}");
        assert_eq!(
            json["transaction_pooler"],
            mode == PoolMode::Transaction,
            "{round}: {json}"
        );
        assert!(
            json["pooler"]
                .as_str()
                .is_some_and(|p| p.contains("pooler")),
            "{round}: {json}"
        );
    }
    // The verifier's projects: no bookkeeping table, nothing left after a downgrade.
    let clean = project("", false, &[]);
    for _ in 0..5 {
        ok(clean.path(), &url, &["roundtrip", "--scratch"], bouncer);
        ok(clean.path(), &url, &["runbook", "--scratch"], bouncer);
    }
    // Each round applied r1 once, r2 and r3 twice (after the stamp back to r1).
    let ran = pg_query(
        db.url(),
        "SELECT rev || ':' || count(*) FROM public.ran GROUP BY rev ORDER BY rev",
    );
    assert_eq!(ran, ["r1:5", "r2:10", "r3:10"]);
    let accepted = pg_query(
        db.url(),
        "SELECT count(*)::text FROM app.mig_history WHERE direction = 'accept'",
    );
    assert_eq!(accepted, ["5"]);
}

#[test]
fn every_online_command_works_through_a_transaction_pooler_five_times() {
    every_command_five_times(PoolMode::Transaction);
}

#[test]
fn every_online_command_works_through_a_session_pooler_five_times() {
    every_command_five_times(PoolMode::Session);
}

#[test]
fn eight_concurrent_upgrades_through_a_transaction_pooler_run_each_body_once() {
    eight_concurrent_upgrades("false");
}

#[test]
fn eight_concurrent_upgrades_with_a_transaction_per_migration_run_each_body_once() {
    eight_concurrent_upgrades("true");
}

fn eight_concurrent_upgrades(per_migration: &str) {
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db(&format!("pooler_concurrent_{per_migration}"));
    let url = bouncer.url(db.name());
    let proj = project(
        &format!("{IN_APP}transaction_per_migration = {per_migration}\n"),
        true,
        &[],
    );
    let dir = proj.path();
    pg_query(db.url(), "CREATE TABLE public.ran (rev text)");
    // Named rather than detected: eight clients probing one pooler at once could each be
    // handed server connections that hide the pooling (detection is tested on its own).
    let outputs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    Mig::new(dir)
                        .url(&url)
                        .env("MIG_POOLER", "transaction")
                        .args(["upgrade", "head"])
                        .run()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outputs {
        assert!(
            out.code == 0,
            "{}\nPgBouncer log:\n{}",
            out.stderr.as_str(),
            bouncer.log()
        );
    }
    let ran = pg_query(db.url(), "SELECT rev FROM public.ran ORDER BY rev");
    assert_eq!(ran, ["r1", "r2", "r3"]);
    assert_eq!(ok(dir, &url, &["current"], bouncer), "r3 (head)\n");
}

const NON_TRANSACTIONAL: &str = "-- concurrently\n--\n-- Revision ID: r4\n-- Revises: r3\n\
     -- Transaction: none\n\n-- migrate:upgrade\n\
     CREATE INDEX CONCURRENTLY ix_t_r1 ON t_r1 (id);\n\n\
     -- migrate:downgrade\nDROP INDEX CONCURRENTLY ix_t_r1;\n";

#[test]
fn non_transactional_revisions_are_refused_through_a_transaction_pooler_only() {
    let proj = project(IN_APP, false, &[("r4_concurrently.sql", NON_TRANSACTIONAL)]);
    let dir = proj.path();

    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db("pooler_refused");
    let url = bouncer.url(db.name());
    ok(dir, &url, &["upgrade", "r2"], bouncer);
    let out = Mig::new(dir).url(&url).args(["upgrade", "head"]).run();
    let stderr = out.stderr.as_str();
    assert_eq!(out.code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "FAILED: revision `r4` (`{}`) is `Transaction: none`, which cannot run through a \
             transaction-mode pooler",
            dir.join("versions/r4_concurrently.sql").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("session-mode or direct URL (Supabase: port 5432"),
        "{stderr}"
    );
    // Refused before anything ran: r3 did not run either.
    assert_eq!(ok(dir, &url, &["current"], bouncer), "r2\n");

    let bouncer = PgBouncer::get(PoolMode::Session);
    let db = ephemeral_db("pooler_session_accepts");
    let url = bouncer.url(db.name());
    ok(dir, &url, &["upgrade", "head"], bouncer);
    assert_eq!(ok(dir, &url, &["current"], bouncer), "r4 (head)\n");
    let index = pg_query(
        db.url(),
        "SELECT indexname::text FROM pg_indexes WHERE indexname = 'ix_t_r1'",
    );
    assert_eq!(index, ["ix_t_r1"]);
}

#[test]
fn a_failing_revision_through_a_transaction_pooler_is_reported_and_recorded() {
    let failing = "-- bad\n--\n-- Revision ID: r4\n-- Revises: r3\n\n-- migrate:upgrade\n\
                   CREATE TABLE t_r4 (id int);\nSELECT * FROM no_such_table;\n\n\
                   -- migrate:downgrade\nDROP TABLE t_r4;\n";
    let proj = project(IN_APP, false, &[("r4_bad.sql", failing)]);
    let dir = proj.path();
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db("pooler_failure");
    let url = bouncer.url(db.name());
    ok(dir, &url, &["upgrade", "r3"], bouncer);
    let out = Mig::new(dir).url(&url).args(["upgrade", "head"]).run();
    let stderr = out.stderr.as_str();
    assert_eq!(out.code, 3, "{stderr}");
    assert!(stderr.contains("r4_bad.sql"), "{stderr}");
    assert!(stderr.contains("no_such_table"), "{stderr}");
    assert_eq!(ok(dir, &url, &["current"], bouncer), "r3\n");
    let recorded = pg_query(
        db.url(),
        "SELECT revision || ':' || success::text FROM app.mig_history \
         WHERE revision = 'r4'",
    );
    assert_eq!(recorded, ["r4:false"]);
}

#[test]
fn the_search_path_of_a_run_does_not_leak_to_other_clients_of_the_pooler() {
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db("pooler_search_path");
    let url = bouncer.url(db.name());
    let proj = project(IN_APP, false, &[]);
    let dir = proj.path();
    ok(dir, &url, &["upgrade", "head"], bouncer);
    ok(dir, &url, &["current"], bouncer);
    // The tables landed in `app`, the first schema of the configured search_path.
    let tables = pg_query(
        db.url(),
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'app' ORDER BY 1",
    );
    assert_eq!(
        tables,
        ["alembic_version", "mig_history", "t_r1", "t_r2", "t_r3"]
    );
    // Another client of the pooler, on whichever server connection it gets.
    for _ in 0..8 {
        let seen = block_on(async {
            let mut conn = crate::support::connect_pg(&url).await.expect("connect");
            sqlx::raw_sql("SHOW search_path")
                .fetch_one(&mut conn)
                .await
                .map(|row| sqlx::Row::get::<String, _>(&row, 0))
                .expect("SHOW search_path")
        });
        assert_eq!(seen, "\"$user\", public");
    }
}

#[test]
fn drift_reads_through_a_transaction_pooler_and_leaves_no_connection_read_only() {
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db("pooler_drift");
    let url = bouncer.url(db.name());
    let proj = project(IN_APP, false, &[]);
    let dir = proj.path();
    ok(dir, &url, &["upgrade", "head"], bouncer);
    for _ in 0..3 {
        let drift = ok(dir, &url, &["drift"], bouncer);
        assert!(drift.contains("no drift"), "{drift}");
    }
    // Another client of the pooler, on whichever server connection it gets, may write:
    // drift's reads were read-only by transaction, not by a session setting left behind.
    for _ in 0..8 {
        let seen = pg_query(&url, "SHOW default_transaction_read_only");
        assert_eq!(seen, ["off"]);
    }
}

#[test]
fn the_pooler_is_a_library_fact() {
    let config = mig::config::Config::with_defaults("/nonexistent/alembic.ini");
    let transaction = PgBouncer::get(PoolMode::Transaction);
    let session = PgBouncer::get(PoolMode::Session);
    let db = ephemeral_db("pooler_fact");
    let fact = |url: String| {
        let url = mig::url::DatabaseUrl::parse(&url).expect("url");
        block_on(mig::engine::pooler(&config, &url)).expect("pooler")
    };
    assert_eq!(
        fact(transaction.url(db.name())),
        mig::db::Pooler::Transaction(mig::db::PoolerReason::BackendChanged)
    );
    assert_eq!(fact(session.url(db.name())), mig::db::Pooler::None);
    assert_eq!(fact(db.url().to_string()), mig::db::Pooler::None);
}

/// The demo project (its `search_path = zero_admin, public` and its DoD file, whose U1-P2
/// checks read `search_path` and `current_schema()`) through a transaction pooler: the
/// runbook's observer sees what a migration transaction sees, five times in a row, and
/// the header says what the target is.
#[test]
fn the_demo_runbook_passes_through_a_transaction_pooler_five_times() {
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let db = ephemeral_db("pooler_runbook_demo");
    let url = bouncer.url(db.name());
    for round in 0..5 {
        let run = runbook(&repo(), &["--url", &url], &["--scratch"]);
        assert_eq!(
            run.code,
            0,
            "{round}: {}\n{}\nPgBouncer log:\n{}",
            run.stderr,
            run.markdown,
            bouncer.log()
        );
        assert!(
            run.markdown.contains(
                "| Pooler | transaction-mode pooler (detected: transactions ran on different \
                 server backends): one transaction per unit, transaction-level lock |"
            ),
            "{round}: {}",
            run.markdown
        );
        let json: serde_json::Value = serde_json::from_str(&run.json).expect("json");
        assert!(
            json["header"]["pooler"]
                .as_str()
                .is_some_and(|p| p.starts_with("transaction-mode pooler")),
            "{round}: {}",
            json["header"]
        );
    }
    // Through the session pooler the header has no pooler line, as on a direct connection.
    let session = PgBouncer::get(PoolMode::Session);
    let run = runbook(&repo(), &["--url", &session.url(db.name())], &["--scratch"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    assert!(!run.markdown.contains("| Pooler |"), "{}", run.markdown);
    let json: serde_json::Value = serde_json::from_str(&run.json).expect("json");
    assert!(json["header"].get("pooler").is_none(), "{}", json["header"]);
}

/// `status` asks whether a run holds the migration lock when a step is interrupted:
/// through a transaction pooler it tries the lock at transaction level, so no session lock
/// stays behind on a server connection the pooler hands to other clients.
#[test]
fn status_of_an_interrupted_step_through_a_transaction_pooler_sees_the_lock_and_leaves_none() {
    let half = "-- half\n--\n-- Revision ID: r4\n-- Revises: r3\n-- Transaction: none\n\n\
                -- migrate:upgrade\nCREATE TABLE t_r4 (id int);\n\n\
                SELECT * FROM no_such_table;\n\n-- migrate:downgrade\nDROP TABLE t_r4;\n";
    let proj = project(IN_APP, false, &[("r4_half.sql", half)]);
    let dir = proj.path();
    let db = ephemeral_db("pooler_status_interrupted");
    // Directly: a `Transaction: none` revision cannot run through the transaction pooler.
    let out = Mig::new(dir).url(db.url()).args(["upgrade", "head"]).run();
    assert_eq!(out.code, 3, "{out:?}");
    let bouncer = PgBouncer::get(PoolMode::Transaction);
    let url = bouncer.url(db.name());
    for round in 0..5 {
        let status = ok(dir, &url, &["status"], bouncer);
        assert!(status.contains("\n1 interrupted\n"), "{round}: {status}");
        assert!(!status.contains("another mig run"), "{round}: {status}");
        assert!(
            status.contains("target: transaction-mode pooler"),
            "{round}: {status}"
        );
    }
    let locks = pg_query(
        db.url(),
        "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    assert_eq!(locks, ["0"]);
    // While another session holds the lock, the step may still be running.
    let id = mig::db::LockKey::new(db.name(), Some("app"), "alembic_version").advisory_id();
    let status = block_on(async {
        let mut holder = crate::support::connect_pg(db.url()).await.expect("connect");
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(id)
            .persistent(false)
            .execute(&mut holder)
            .await
            .expect("lock");
        Mig::new(dir).url(&url).args(["status"]).run()
    });
    let text = status.stdout.as_str();
    assert!(
        text.contains("another mig run holds the migration lock now"),
        "{status:?}"
    );
}
