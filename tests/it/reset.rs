//! `mig reset` on PostgreSQL through the binary: what each strategy does (and the
//! irreversible revisions the downgrade strategy refuses), dry runs that change nothing,
//! and a failure that leaves the database as it was. What it must refuse:
//! `reset_refusals.rs`.

use crate::seed_support::{history_kinds, seeded_demo, INBOX, OUTBOX};
use crate::support::project::{project_with_seeds, revision};
use crate::support::{pg_db, pg_exec, pg_query, Mig};

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
    let mig = Mig::new(dir).url(&url);
    let snapshot_before = mig.with(["snapshot"]).ok();
    let history_before = history_kinds(&url);
    let json = mig
        .with(["--format", "json", "reset", "--dry-run", "--seed", "all"])
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

    assert_eq!(mig.with(["snapshot"]).ok(), snapshot_before);
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
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    mig.with(["seed"]).ok();
    pg_exec(&url, "INSERT INTO parents (name) VALUES ('x'), ('y'); INSERT INTO kids (parent_id) VALUES (2), (3);");
    let snapshot_before = mig.with(["snapshot"]).ok();
    let out = mig
        .with(["reset", "--strategy", "truncate", "--yes", "--no-backup"])
        .ok();
    assert!(
        out.contains(
            "  emptied table public.kids (2 rows)\n  emptied table public.parents (3 rows)\n"
        ),
        "{out}"
    );
    assert!(out.contains("  seeded base (1 rows)\n"), "{out}");
    assert_eq!(
        mig.with(["snapshot"]).ok(),
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
    assert_eq!(mig.with(["current"]).ok(), "r1 (head)\n");
    assert_eq!(pg_query(&url, "SELECT name FROM mig_seed"), ["base"]);
}

#[test]
fn downgrade_strategy_runs_down_and_up_and_refuses_irreversible_revisions() {
    let db = pg_db("reset_downgrade");
    let url = db.url().to_string();
    let r1 = revision("r1", "", "CREATE TABLE t (id integer);", "DROP TABLE t;");
    let proj = project_with_seeds(&[("r1.sql", &r1)], &[]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (1)");
    let out = mig
        .with(["reset", "--strategy", "downgrade", "--yes", "--no-backup"])
        .ok();
    assert!(out.contains("  reverted r1\n  applied r1\n"), "{out}");
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM t"), ["0"]);

    let r2 = "-- r2\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- migrate:upgrade\nCREATE TABLE u (id integer);\n\n-- migrate:downgrade irreversible\n";
    std::fs::write(dir.join("versions/r2.sql"), r2).unwrap();
    mig.with(["upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (2)");
    let err = mig
        .with(["reset", "--strategy", "downgrade", "--yes"])
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
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    pg_exec(&url, "INSERT INTO t VALUES (1), (2)");
    pg_exec(
        &url,
        &format!(
            "ALTER DATABASE \"{}\" SET app.fail_upgrade = 'yes'",
            db.name()
        ),
    );
    let snapshot_before = mig.with(["snapshot"]).ok();
    let err = mig
        .with(["reset", "--yes", "--no-backup"])
        .run()
        .code(3)
        .stderr;
    assert!(err.contains("upgrade refused"), "{err}");
    assert!(err.contains("The reset ran in one transaction, which was rolled back: the database is as it was before"), "{err}");
    assert_eq!(mig.with(["snapshot"]).ok(), snapshot_before);
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM t"), ["2"]);
    assert_eq!(mig.with(["current"]).ok(), "r2 (head)\n");
    assert_eq!(
        pg_query(
            &url,
            "SELECT success::text FROM mig_history WHERE direction = 'reset'"
        ),
        ["false"],
        "the failure is recorded after the rollback"
    );
}
