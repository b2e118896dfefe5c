//! `mig baseline` through the binary, on databases built without mig (the revisions'
//! SQL run by hand, no version table): `--detect` names the revision they are at, or the
//! nearest one and the difference; `--stamp` records a match so that `upgrade head`
//! continues from there.

use crate::roundtrip_support::write_project;
use crate::support;
use crate::support::{pg_exec, Mig};

const REVISIONS: &[(&str, &str, &str, &str)] = &[
    (
        "b1",
        "",
        "CREATE TABLE account (id int PRIMARY KEY, name text NOT NULL);",
        "\nDROP TABLE account;",
    ),
    (
        "b2",
        "",
        "CREATE INDEX ix_account_name ON account (name);",
        "\nDROP INDEX ix_account_name;",
    ),
    (
        "b3",
        "",
        "CREATE TABLE invoice (id int PRIMARY KEY, account_id int REFERENCES account (id));",
        "\nDROP TABLE invoice;",
    ),
];

/// A database made by hand from the upgrade SQL of the first `k` revisions.
fn by_hand(test: &str, k: usize) -> crate::support::PgDb {
    let db = support::pg_db(test);
    for (_, _, up, _) in &REVISIONS[..k] {
        pg_exec(db.url(), up);
    }
    db
}

#[test]
fn detect_names_the_revision_and_stamp_lets_upgrade_continue() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(dir.path(), "", REVISIONS);
    let db = by_hand("baseline_exact", 2);
    let mig = Mig::new(dir.path()).arg("-q").config(&ini).url(db.url());
    let detect = mig.with(["baseline", "--detect"]).run();
    assert_eq!(detect.code, 0, "{}{}", detect.stdout, detect.stderr);
    assert!(
        detect.stdout.contains("is at revision `b2`"),
        "{}",
        detect.stdout
    );
    // Detecting wrote nothing.
    let current = mig.with(["current"]).run();
    assert!(!current.stdout.contains("b2"), "{}", current.stdout);

    let stamp = mig.with(["baseline", "--stamp"]).run();
    assert_eq!(stamp.code, 0, "{}{}", stamp.stdout, stamp.stderr);
    assert!(stamp.stdout.contains("stamped"), "{}", stamp.stdout);
    let up = mig.with(["upgrade", "head"]).run();
    assert_eq!(up.code, 0, "{}{}", up.stdout, up.stderr);
    let current = mig.with(["current"]).run();
    assert!(current.stdout.contains("b3"), "{}", current.stdout);
    // Now mig knows the database: it has no drift.
    let drift = mig.with(["drift"]).run();
    assert_eq!(drift.code, 0, "{}{}", drift.stdout, drift.stderr);
}

#[test]
fn an_extra_object_gives_the_nearest_revision_and_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(dir.path(), "", REVISIONS);
    let db = by_hand("baseline_nearest", 2);
    pg_exec(db.url(), "CREATE INDEX ix_hand ON account (id, name);");
    let mig = Mig::new(dir.path()).arg("-q").config(&ini).url(db.url());
    let detect = mig.with(["baseline", "--detect"]).run();
    assert_eq!(detect.code, 1, "{}{}", detect.stdout, detect.stderr);
    assert!(
        detect.stdout.contains("nearest: `b2` with 1 difference"),
        "{}",
        detect.stdout
    );
    assert!(
        detect.stdout.contains("extra index public.ix_hand"),
        "{}",
        detect.stdout
    );
    let stamp = mig.with(["baseline", "--stamp"]).run();
    assert_eq!(stamp.code, 1, "{}{}", stamp.stdout, stamp.stderr);
    assert!(stamp.stdout.contains("not stamped"), "{}", stamp.stdout);
}
