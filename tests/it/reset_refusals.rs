//! What `mig reset` on PostgreSQL must refuse, through the binary: `--yes` on a protected
//! database, wrong names, no terminal without a flag, a database without a version
//! table (unless `--all`), and a lock another run holds (named once the wait times out).

use crate::seed_support::{history_kinds, seeded_demo, INBOX};
use crate::support::project::{project_with_seeds, revision};
use crate::support::{pg_db, pg_exec, pg_query, Mig};

#[test]
fn protection_refuses_yes_and_wrong_names_and_needs_a_flag_without_a_terminal() {
    let (db, proj) = seeded_demo("reset_guard");
    let (url, dir) = (db.url().to_string(), proj.path());
    let name = db.name().to_string();
    let untouched = |url: &str| assert_eq!(pg_query(url, INBOX), ["3"]);

    // Unprotected, no terminal, no flag.
    let mig = Mig::new(dir).url(&url);
    let err = mig.with(["reset"]).run().code(2).stderr;
    assert!(
        err.contains(&format!(
            "without a terminal to ask on: pass `--yes` or `--confirm {name}`; nothing was changed"
        )),
        "{err}"
    );
    // A wrong name is refused even unprotected.
    let err = mig
        .with(["reset", "--confirm", "other"])
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
        let out = mig.with(["reset", "--yes"]).env(key, value).run();
        assert_eq!(out.code, 2, "{key}");
        let err = out.stderr;
        assert!(err.contains(&format!("database `{name}` is protected (the environment says production ({key}={value})): `--yes` is not enough")), "{err}");
    }
    untouched(&url);

    // The marker makes it protected.
    mig.with(["protect", "--reason", "customer data"]).ok();
    let err = mig.with(["reset", "--yes"]).run().code(2).stderr;
    assert!(
        err.contains(&format!(
            "database `{name}` is protected (marked by `mig protect` ("
        )),
        "{err}"
    );
    assert!(err.contains(&format!(": customer data)): `--yes` is not enough to reset (rebuild) the database; pass `--confirm {name}`")), "{err}");
    let err = mig.with(["reset"]).run().code(2).stderr;
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
    mig.with(["reset", "--confirm", &name, "--no-backup"]).ok();
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
    let mig = Mig::new(dir).url(&url);
    for strategy in ["rebuild", "truncate", "downgrade"] {
        let err = mig
            .with(["reset", "--yes", "--strategy", strategy])
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
        .with(["reset", "--strategy", "rebuild", "--all", "--dry-run"])
        .ok();
    assert!(out.contains("  drop view public.v\n  drop table legacy.things (2 rows)\n  drop schema legacy\n  apply r1\n"), "{out}");
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM legacy.things"),
        ["2"]
    );
    mig.with([
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
    assert_eq!(mig.with(["current"]).ok(), "r1 (head)\n");
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
