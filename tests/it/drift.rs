//! `mig drift` through the binary: a database upgraded by mig, then changed by hand (an
//! index, a dropped column, a changed default, an extra grant): each is reported and the
//! exit code is 1; an untouched database exits 0, also for a role that may only connect
//! and read; version rows naming revisions the project lacks stop with exit 2.

use std::path::Path;

use crate::roundtrip_support::write_project;
use crate::support;
use crate::support::{pg_exec, Mig};

fn project(dir: &Path) -> std::path::PathBuf {
    write_project(
        dir,
        "",
        &[
            (
                "d1",
                "",
                "CREATE TABLE account (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', note text);",
                "\nDROP TABLE account;",
            ),
            (
                "d2",
                "",
                "CREATE TABLE invoice (id int PRIMARY KEY, account_id int REFERENCES account (id));",
                "\nDROP TABLE invoice;",
            ),
        ],
    )
}

/// A database at head, made by `mig upgrade head`.
fn upgraded(test: &str, dir: &Path, ini: &Path) -> crate::support::PgDb {
    let db = support::pg_db(test);
    let up = Mig::new(dir)
        .arg("-q")
        .config(ini)
        .url(db.url())
        .args(["upgrade", "head"])
        .run();
    assert_eq!(up.code, 0, "{}{}", up.stdout, up.stderr);
    db
}

#[test]
fn a_clean_database_has_no_drift() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let db = upgraded("drift_clean", dir.path(), &ini);
    let drift = Mig::new(dir.path())
        .arg("-q")
        .config(&ini)
        .url(db.url())
        .args(["drift"])
        .run();
    assert_eq!(drift.code, 0, "{}{}", drift.stdout, drift.stderr);
    assert!(drift.stdout.contains("no drift"), "{}", drift.stdout);
    assert!(drift.stdout.contains("at `d2`"), "{}", drift.stdout);
}

#[test]
fn hand_made_changes_are_each_reported() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let db = upgraded("drift_hand", dir.path(), &ini);
    pg_exec(
        db.url(),
        "CREATE INDEX ix_hand ON invoice (account_id);
         ALTER TABLE account DROP COLUMN note;
         ALTER TABLE account ALTER COLUMN name SET DEFAULT 'y';
         GRANT SELECT ON invoice TO PUBLIC;",
    );
    let mig = Mig::new(dir.path()).arg("-q").config(&ini).url(db.url());
    let drift = mig.with(["drift"]).run();
    assert_eq!(drift.code, 1, "{}{}", drift.stdout, drift.stderr);
    let out = &drift.stdout;
    for expected in [
        "extra index public.ix_hand",
        "missing column public.account.note",
        "changed column public.account.name",
        "'y'",
        "grant",
        "DRIFT: ",
    ] {
        assert!(out.contains(expected), "no `{expected}` in:\n{out}");
    }
    let json = mig.with(["--format", "json", "drift"]).run();
    assert_eq!(json.code, 1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["problem"], f["kind"], f["id"]))
        .collect();
    assert!(
        ids.iter().any(|i| i.contains("\"extra\" \"index\"")),
        "{ids:?}"
    );
}

#[test]
fn a_role_that_can_only_read_is_enough() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let db = upgraded("drift_reader", dir.path(), &ini);
    let role = format!("reader_{}", db.name().len() + std::process::id() as usize);
    pg_exec(
        db.url(),
        &format!(
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN \
             CREATE ROLE {role} LOGIN; END IF; END$$;
             REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC;
             GRANT CONNECT ON DATABASE \"{db}\" TO {role};
             GRANT USAGE ON SCHEMA public TO {role};
             GRANT SELECT ON alembic_version TO {role};",
            db = db.name()
        ),
    );
    let url = db.url().replacen("://mig@", &format!("://{role}@"), 1);
    assert_ne!(url, db.url(), "the test server's URL names the user `mig`");
    let mig = Mig::new(dir.path()).arg("-q").config(&ini).url(&url);
    let drift = mig.with(["drift"]).run();
    assert_eq!(drift.code, 1, "{}{}", drift.stdout, drift.stderr);
    // What the reader saw differs only in the grants this test made.
    assert!(drift.stdout.contains("grant"), "{}", drift.stdout);
    assert!(!drift.stdout.contains("table"), "{}", drift.stdout);

    pg_exec(
        db.url(),
        &format!("REVOKE SELECT ON alembic_version FROM {role}"),
    );
    let denied = mig.with(["drift"]).run();
    assert_eq!(denied.code, 3, "{}{}", denied.stdout, denied.stderr);
    assert!(
        denied
            .stderr
            .contains("cannot read the version table `alembic_version`"),
        "{}",
        denied.stderr
    );
}

#[test]
fn unknown_revisions_in_the_version_table_stop_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let db = upgraded("drift_unknown", dir.path(), &ini);
    pg_exec(
        db.url(),
        "UPDATE alembic_version SET version_num = 'zzz999'",
    );
    let drift = Mig::new(dir.path())
        .arg("-q")
        .config(&ini)
        .url(db.url())
        .args(["drift"])
        .run();
    assert_eq!(drift.code, 2, "{}{}", drift.stdout, drift.stderr);
    assert!(
        drift
            .stderr
            .contains("revisions this project does not have: zzz999"),
        "{}",
        drift.stderr
    );
}
