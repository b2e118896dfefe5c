//! Commands that read the database, mig against real Alembic on SQLite files (one per
//! tool, in each project's directory): the same state, the same output or failure.

use super::alembic::{alembic, same_failure, text};
use super::project::{graphs, write_pair, Pair};
use crate::support::Mig;

const SQLITE: &str = "sqlite:///compat.db";

/// Runs `args` through both tools, which must both succeed; returns (mig, alembic) stdout.
fn both_ok(pair: &Pair, args: &[&str]) -> (String, String) {
    let a = alembic(&pair.alembic_dir, args);
    assert!(a.status.success(), "alembic {args:?}: {}", text(&a.stderr));
    let m = Mig::new(&pair.mig_dir).args(args).run();
    assert!(m.code == 0, "mig {args:?}: {}", m.stderr.clone());
    // Paths in `--verbose` entries: mig's project is `mig/`, its files `.sql`.
    let m = m
        .stdout
        .clone()
        .replace("/mig/versions/", "/alembic/versions/")
        .replace("_rev.sql", "_rev.py");
    (m, text(&a.stdout))
}

#[test]
fn history_ranges_naming_current_read_the_database() {
    let pair = write_pair(&graphs::linear(), SQLITE, &[]);
    // Empty database: `current` stands for nothing, the range is the whole history.
    for args in [
        &["history", "-r", "current:head"][..],
        &["history", "-r", ":current"],
    ] {
        let (m, a) = both_ok(&pair, args);
        assert_eq!(m, a, "{args:?} on an empty database");
    }
    both_ok(&pair, &["upgrade", "2b3c4d5e6f70"]);
    for args in [
        &["history", "-r", "current:head"][..],
        &["history", "-r", "current:"],
        &["history", "-r", ":current"],
        &["history", "-r", "base:current"],
        &["history", "-r", "current:head", "-i"],
        &["history", "-r", "current:head", "--verbose"],
    ] {
        let (m, a) = both_ok(&pair, args);
        assert_eq!(m, a, "{args:?} at 2b3c4d5e6f70");
    }
    // The range really moved with the database: two revisions fewer than the whole.
    let (m, _) = both_ok(&pair, &["history", "-r", "current:head"]);
    assert_eq!(m.lines().count(), 4, "{m}");
}

#[test]
fn stamp_with_a_negative_relative_target_online() {
    let pair = write_pair(&graphs::linear(), SQLITE, &[]);
    both_ok(&pair, &["upgrade", "head"]);
    // Online, Alembic does not resolve `-1` for stamp: both refuse it the same way.
    same_failure(&pair, &["stamp", "-1"]);
    // `downgrade -1` is accepted by both and lands on the same revision.
    both_ok(&pair, &["downgrade", "-1"]);
    let (m, a) = both_ok(&pair, &["current"]);
    assert_eq!(m, a);
}
