//! `mig reset` on PostgreSQL through the binary: what each strategy does and, as much,
//! what it must refuse (protection, wrong names, no terminal, irreversible revisions,
//! non-mig databases, a held lock), dry runs that change nothing, and a failure that
//! leaves the database as it was.

use crate::seed_support::demo;
use crate::support::project::{project_with_seeds, revision};
use crate::support::{pg_db, pg_exec, pg_query, Mig};

const OUTBOX: &str = "SELECT count(*)::text FROM zero_admin.event_outbox";
const INBOX: &str = "SELECT count(*)::text FROM zero_admin.inbox_items";

/// The demo, upgraded and fully seeded, with one more inbox item of the application's.
fn seeded_demo(test: &str) -> (mig::provision::ScratchDatabase, tempfile::TempDir) {
    let db = pg_db(test);
    let proj = demo();
    let url = db.url().to_string();
    let mig = Mig::new(proj.path());
    mig.with(["--url", &url, "upgrade", "head"]).ok();
    mig.with(["--url", &url, "seed", "--all"]).ok();
    pg_exec(
        &url,
        "INSERT INTO zero_admin.inbox_items (tenant_id, source, content_hash) \
         VALUES ('00000000-0000-0000-0000-0000000000bb', 'api', 'sha256:app')",
    );
    (db, proj)
}

fn history_kinds(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT direction FROM zero_admin.mig_history ORDER BY started_at",
    )
}

#[test]
fn rebuild_equals_a_fresh_upgrade_and_seeds_the_required_data() {
    let (db, proj) = seeded_demo("reset_rebuild");
    let (url, dir) = (db.url().to_string(), proj.path());
    assert_eq!(pg_query(&url, INBOX), ["3"]);
    let backup = dir.join("bk");
    let mig = Mig::new(dir);
    let out = mig
        .with([
            "--url",
            &url,
            "reset",
            "--yes",
            "--backup",
            backup.to_str().unwrap(),
        ])
        .ok();
    assert!(
        out.starts_with(&format!(
            "Reset `{}` with strategy rebuild:\n  backup: written to {}\n",
            db.name(),
            backup.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("  dropped table zero_admin.inbox_items (3 rows)\n"),
        "{out}"
    );
    assert!(
        out.contains("  dropped table zero_admin.alembic_version (1 rows)\n"),
        "{out}"
    );
    assert!(
        out.contains("  dropped function zero_admin.set_updated_at()\n"),
        "{out}"
    );
    assert!(
        !out.contains("schema zero_admin"),
        "a kept schema stays: {out}"
    );
    assert!(!out.contains("pgcrypto"), "extensions stay: {out}");
    assert!(
        out.contains("  applied 251018_schema_v1_inbox\n  seeded system_events (3 rows)\n"),
        "{out}"
    );
    assert!(backup.join("manifest.json").is_file());

    // The catalog equals a fresh `upgrade heads`; the required seed is there, the rest is gone.
    let fresh = pg_db("reset_rebuild_fresh");
    mig.with(["--url", fresh.url(), "upgrade", "heads"]).ok();
    mig.with(["diff", fresh.url(), &url]).ok();
    assert_eq!(pg_query(&url, OUTBOX), ["3"]);
    assert_eq!(pg_query(&url, INBOX), ["0"]);
    assert_eq!(
        mig.with(["--url", &url, "current"]).ok(),
        "251018_schema_v1_inbox (head)\n"
    );
    assert_eq!(
        pg_query(&url, "SELECT name FROM zero_admin.mig_seed"),
        ["system_events"]
    );
    let reason = pg_query(
        &url,
        "SELECT reason FROM zero_admin.mig_history WHERE direction = 'reset'",
    );
    assert_eq!(reason.len(), 1);
    assert!(
        reason[0].starts_with("strategy rebuild; dropped "),
        "{reason:?}"
    );
    assert!(
        reason[0].ends_with(&format!(
            "applied 3 revisions; seeded system_events; backup: {}",
            backup.display()
        )),
        "{reason:?}"
    );
}

#[test]
fn dry_run_counts_rows_exactly_and_changes_nothing() {
    let (db, proj) = seeded_demo("reset_dry");
    let (url, dir) = (db.url().to_string(), proj.path());
    let mig = Mig::new(dir);
    let snapshot_before = mig.with(["--url", &url, "snapshot"]).ok();
    let history_before = history_kinds(&url);
    let json = mig
        .with([
            "--url",
            &url,
            "--format",
            "json",
            "reset",
            "--dry-run",
            "--seed",
            "all",
        ])
        .ok();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["dry_run"], true);
    let dropped = report["dropped"].as_array().unwrap();
    let mut tables = 0;
    for item in dropped {
        let object = item["object"].as_str().unwrap();
        if let Some(table) = object.strip_prefix("table ") {
            tables += 1;
            let count = pg_query(&url, &format!("SELECT count(*)::text FROM {table}"));
            assert_eq!(item["rows"].to_string(), count[0], "{table}");
        }
    }
    assert_eq!(
        tables, 9,
        "6 tables of the schema, version, history and seed tables: {json}"
    );
    assert_eq!(
        report["seeds"],
        serde_json::json!(["system_events", "sample_inbox"])
    );
    assert_eq!(report["applied"].as_array().unwrap().len(), 3);
    let backup = report["backup"].as_str().unwrap();
    assert!(
        !std::path::Path::new(backup).exists(),
        "a dry run takes no backup"
    );

    let text = mig
        .with([
            "--url",
            &url,
            "reset",
            "--dry-run",
            "--strategy",
            "truncate",
            "--no-backup",
        ])
        .ok();
    assert!(
        text.contains("  empty table zero_admin.inbox_items (3 rows)\n"),
        "{text}"
    );
    assert!(!text.contains("alembic_version"), "{text}");
    assert!(
        text.ends_with("  seed system_events\nNothing was changed.\n"),
        "{text}"
    );

    assert_eq!(mig.with(["--url", &url, "snapshot"]).ok(), snapshot_before);
    assert_eq!(pg_query(&url, INBOX), ["3"]);
    assert_eq!(
        history_kinds(&url),
        history_before,
        "a dry run writes no history row"
    );
    assert!(!dir.join("backups").exists());
}

#[test]
fn truncate_keeps_the_schema_empties_data_and_restarts_identities() {
    let db = pg_db("reset_truncate");
    let url = db.url().to_string();
    let rev = revision(
        "r1",
        "",
        "CREATE TABLE parents (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text);\n\
         CREATE TABLE kids (id serial PRIMARY KEY, parent_id integer REFERENCES parents (id));",
        "DROP TABLE kids;\nDROP TABLE parents;",
    );
    let proj = project_with_seeds(
        &[("r1.sql", &rev)],
        &[(
            "a.sql",
            "-- Seed: base\nINSERT INTO parents (name) VALUES ('root');\n",
        )],
    );
    let dir = proj.path();
    let mig = Mig::new(dir);
    mig.with(["--url", &url, "upgrade", "head"]).ok();
    mig.with(["--url", &url, "seed"]).ok();
    pg_exec(&url, "INSERT INTO parents (name) VALUES ('x'), ('y'); INSERT INTO kids (parent_id) VALUES (2), (3);");
    let snapshot_before = mig.with(["--url", &url, "snapshot"]).ok();
    let out = mig
        .with([
            "--url",
            &url,
            "reset",
            "--strategy",
            "truncate",
            "--yes",
            "--no-backup",
        ])
        .ok();
    assert!(
        out.contains(
            "  emptied table public.kids (2 rows)\n  emptied table public.parents (3 rows)\n"
        ),
        "{out}"
    );
    assert!(out.contains("  seeded base (1 rows)\n"), "{out}");
    assert_eq!(
        mig.with(["--url", &url, "snapshot"]).ok(),
        snapshot_before,
        "the schema stays"
    );
    assert_eq!(
        pg_query(&url, "SELECT id || ' ' || name FROM parents"),
        ["1 root"],
        "identity restarted"
    );
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM kids"), ["0"]);
    pg_exec(&url, "INSERT INTO kids (parent_id) VALUES (1)");
    assert_eq!(
        pg_query(&url, "SELECT id::text FROM kids"),
        ["1"],
        "serial restarted"
    );
    assert_eq!(mig.with(["--url", &url, "current"]).ok(), "r1 (head)\n");
    assert_eq!(pg_query(&url, "SELECT name FROM mig_seed"), ["base"]);
}

#[test]
fn downgrade_strategy_runs_down_and_up_and_refuses_irreversible_revisions() {
    let db = pg_db("reset_downgrade");
    let url = db.url().to_string();
    let r1 = revision("r1", "", "CREATE TABLE t (id integer);", "DROP TABLE t;");
    let proj = project_with_seeds(&[("r1.sql", &r1)], &[]);
    let dir = proj.path();
    let mig = Mig::new(dir);
    mig.with(["--url", &url, "upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (1)");
    let out = mig
        .with([
            "--url",
            &url,
            "reset",
            "--strategy",
            "downgrade",
            "--yes",
            "--no-backup",
        ])
        .ok();
    assert!(out.contains("  reverted r1\n  applied r1\n"), "{out}");
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM t"), ["0"]);

    let r2 = "-- r2\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- migrate:upgrade\nCREATE TABLE u (id integer);\n\n-- migrate:downgrade irreversible\n";
    std::fs::write(dir.join("versions/r2.sql"), r2).unwrap();
    mig.with(["--url", &url, "upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (2)");
    let err = mig
        .with(["--url", &url, "reset", "--strategy", "downgrade", "--yes"])
        .run()
        .code(2)
        .stderr;
    assert!(
        err.contains(&format!("revision `r2` ({}:9) is irreversible, so `--strategy downgrade` cannot go down to base", dir.join("versions/r2.sql").display())),
        "{err}"
    );
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM t"),
        ["1"],
        "nothing touched"
    );
    assert!(!dir.join("backups").exists(), "refused before the backup");
}

#[test]
fn protection_refuses_yes_and_wrong_names_and_needs_a_flag_without_a_terminal() {
    let (db, proj) = seeded_demo("reset_guard");
    let (url, dir) = (db.url().to_string(), proj.path());
    let name = db.name().to_string();
    let untouched = |url: &str| assert_eq!(pg_query(url, INBOX), ["3"]);

    // Unprotected, no terminal, no flag.
    let mig = Mig::new(dir);
    let err = mig.with(["--url", &url, "reset"]).run().code(2).stderr;
    assert!(
        err.contains(&format!(
            "without a terminal to ask on: pass `--yes` or `--confirm {name}`; nothing was changed"
        )),
        "{err}"
    );
    // A wrong name is refused even unprotected.
    let err = mig
        .with(["--url", &url, "reset", "--confirm", "other"])
        .run()
        .code(2)
        .stderr;
    assert!(
        err.contains(&format!(
            "`--confirm other` is not the database's name `{name}`; nothing was changed"
        )),
        "{err}"
    );
    untouched(&url);

    // The environment makes it protected: --yes is refused.
    for (key, value) in [
        ("FLY_APP_NAME", "aquarius"),
        ("MIG_ENV", "production"),
        ("RAILWAY_ENVIRONMENT", "production"),
    ] {
        let out = mig
            .with(["--url", &url, "reset", "--yes"])
            .env(key, value)
            .run();
        assert_eq!(out.code, 2, "{key}");
        let err = out.stderr;
        assert!(err.contains(&format!("database `{name}` is protected (the environment says production ({key}={value})): `--yes` is not enough")), "{err}");
    }
    untouched(&url);

    // The marker makes it protected.
    mig.with(["--url", &url, "protect", "--reason", "customer data"])
        .ok();
    let err = mig
        .with(["--url", &url, "reset", "--yes"])
        .run()
        .code(2)
        .stderr;
    assert!(
        err.contains(&format!(
            "database `{name}` is protected (marked by `mig protect` ("
        )),
        "{err}"
    );
    assert!(err.contains(&format!(": customer data)): `--yes` is not enough to reset (rebuild) the database; pass `--confirm {name}`")), "{err}");
    let err = mig.with(["--url", &url, "reset"]).run().code(2).stderr;
    assert!(
        err.contains(&format!(
            "without a terminal to confirm on, pass `--confirm {name}`"
        )),
        "{err}"
    );
    untouched(&url);
    assert!(
        !dir.join("backups").exists(),
        "nothing was backed up either"
    );
    assert!(!history_kinds(&url).contains(&"reset".to_string()));

    // The right name goes through, and the marker survives the reset.
    mig.with(["--url", &url, "reset", "--confirm", &name, "--no-backup"])
        .ok();
    assert_eq!(pg_query(&url, INBOX), ["0"]);
    assert_eq!(
        pg_query(&url, "SELECT reason FROM zero_admin.mig_environment"),
        ["customer data"]
    );
}

#[test]
fn a_database_without_a_version_table_needs_rebuild_all() {
    let db = pg_db("reset_foreign");
    let url = db.url().to_string();
    pg_exec(&url, "CREATE SCHEMA legacy; CREATE TABLE legacy.things (id int); INSERT INTO legacy.things VALUES (1), (2); CREATE VIEW public.v AS SELECT 1 AS one;");
    let proj = project_with_seeds(
        &[(
            "r1.sql",
            &revision("r1", "", "CREATE TABLE t (id int);", "DROP TABLE t;"),
        )],
        &[],
    );
    let dir = proj.path();
    let mig = Mig::new(dir);
    for strategy in ["rebuild", "truncate", "downgrade"] {
        let err = mig
            .with(["--url", &url, "reset", "--yes", "--strategy", strategy])
            .run()
            .code(2)
            .stderr;
        assert!(
            err.contains(&format!(
                "`{}` has no version table `alembic_version`: it is not a mig or Alembic database",
                db.name()
            )),
            "{err}"
        );
    }
    let out = mig
        .with([
            "--url",
            &url,
            "reset",
            "--strategy",
            "rebuild",
            "--all",
            "--dry-run",
        ])
        .ok();
    assert!(out.contains("  drop view public.v\n  drop table legacy.things (2 rows)\n  drop schema legacy\n  apply r1\n"), "{out}");
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM legacy.things"),
        ["2"]
    );
    mig.with([
        "--url",
        &url,
        "reset",
        "--strategy",
        "rebuild",
        "--all",
        "--yes",
        "--no-backup",
    ])
    .ok();
    assert_eq!(
        pg_query(&url, "SELECT (to_regnamespace('legacy') IS NULL)::text"),
        ["true"]
    );
    assert_eq!(mig.with(["--url", &url, "current"]).ok(), "r1 (head)\n");
}

#[test]
fn a_failing_rebuild_leaves_the_database_as_it_was() {
    let db = pg_db("reset_rollback");
    let url = db.url().to_string();
    let r1 = revision("r1", "", "CREATE TABLE t (id int);", "DROP TABLE t;");
    let r2 = revision(
        "r2",
        "r1",
        "CREATE TABLE u (id int);\nDO $$ BEGIN IF current_setting('app.fail_upgrade', true) = 'yes' THEN RAISE EXCEPTION 'upgrade refused'; END IF; END $$;",
        "DROP TABLE u;",
    );
    let proj = project_with_seeds(&[("r1.sql", &r1), ("r2.sql", &r2)], &[]);
    let dir = proj.path();
    let mig = Mig::new(dir);
    mig.with(["--url", &url, "upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (1), (2)");
    pg_exec(
        &url,
        &format!(
            "ALTER DATABASE \"{}\" SET app.fail_upgrade = 'yes'",
            db.name()
        ),
    );
    let snapshot_before = mig.with(["--url", &url, "snapshot"]).ok();
    let err = mig
        .with(["--url", &url, "reset", "--yes", "--no-backup"])
        .run()
        .code(3)
        .stderr;
    assert!(err.contains("upgrade refused"), "{err}");
    assert!(err.contains("The reset ran in one transaction, which was rolled back: the database is as it was before"), "{err}");
    assert_eq!(mig.with(["--url", &url, "snapshot"]).ok(), snapshot_before);
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM t"), ["2"]);
    assert_eq!(mig.with(["--url", &url, "current"]).ok(), "r2 (head)\n");
    assert_eq!(
        pg_query(
            &url,
            "SELECT success::text FROM mig_history WHERE direction = 'reset'"
        ),
        ["false"],
        "the failure is recorded after the rollback"
    );
}

#[test]
fn reset_waits_for_the_lock_then_names_the_holder() {
    let (db, proj) = seeded_demo("reset_lock");
    let (url, dir) = (db.url().to_string(), proj.path());
    let holder_url = url.clone();
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        crate::support::block_on(async move {
            let mut conn =
                mig::db::Connection::Postgres(crate::online_support::pg(&holder_url).await);
            let lock = mig::db::MigrationLock::acquire(
                &mut conn,
                Some("zero_admin"),
                "alembic_version",
                std::time::Duration::from_secs(5),
            )
            .await
            .unwrap();
            held_tx.send(()).unwrap();
            let _ = done_rx.recv();
            lock.release(&mut conn).await.unwrap();
        })
    });
    held_rx.recv().unwrap();
    let out = Mig::new(dir)
        .args(["--url", &url, "reset", "--yes", "--no-backup"])
        .env("MIG_LOCK_TIMEOUT", "1s")
        .run();
    done_tx.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(out.code, 3);
    let err = out.stderr;
    assert!(
        err.contains("timed out after 1s waiting for the migration lock")
            && err.contains("held by pid "),
        "{err}"
    );
    assert_eq!(pg_query(&url, INBOX), ["3"]);
}
