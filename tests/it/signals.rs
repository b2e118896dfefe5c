//! SIGTERM and SIGINT during online commands (SPEC section 13), through the `mig` binary
//! on PostgreSQL: the running statement is cancelled on the server, the transaction
//! rolled back, the lock released at once, the state printed, exit 143 / 130.

use crate::online_interrupted::{hold_advisory_lock, kill_project, N2_LINE_1};
use crate::support::project::{project, revision, root_a};
use crate::support::{pg_db, pg_query, wait_for, Mig};

/// `a`, then `b`: a table and a statement that sleeps ten minutes, in one transaction.
fn sleepy() -> tempfile::TempDir {
    project(&[
        root_a(),
        (
            "b.sql",
            revision(
                "b",
                "a",
                "CREATE TABLE tb (id int);\nSELECT pg_sleep(600);",
                "DROP TABLE tb;",
            ),
        ),
    ])
}

fn sleeping(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
         AND state = 'active' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
    )
}

#[test]
fn sigterm_during_a_long_transactional_revision_cancels_and_rolls_back() {
    let db = pg_db("sigterm_long");
    let url = db.url();
    let proj = sleepy();
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "a"]).ok();
    let child = mig.with(["upgrade", "head"]).spawn();
    wait_for("revision b to sleep", || sleeping(url).len() == 1);
    child.signal("TERM");
    let ended = child.wait();
    assert_eq!(ended.code, 143);
    let err = ended.stderr;
    assert!(err.contains("SIGTERM received"), "{err}");
    assert!(
        err.contains("FAILED: interrupted by SIGTERM; revision `b` failed at"),
        "{err}"
    );
    assert!(
        err.contains("canceling statement due to user request"),
        "{err}"
    );
    assert!(
        err.contains(
            "the database now: the version table holds `a`; rolled back: `upgrade a -> b`"
        ),
        "{err}"
    );
    // Nothing of b, no server session left, no lock held: another run goes at once.
    assert!(sleeping(url).is_empty());
    assert_eq!(pg_query(url, "SELECT to_regclass('tb')::text"), [""]);
    assert_eq!(
        pg_query(
            url,
            "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        ["0"]
    );
    assert_eq!(mig.with(["current"]).ok(), "a\n");
    mig.with(["downgrade", "base"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "");
    // The failure is in the history table.
    assert_eq!(
        pg_query(
            url,
            "SELECT revision || ' ' || success::text FROM mig_history \
             WHERE direction = 'upgrade' ORDER BY started_at"
        ),
        ["a true", "b false"]
    );
}

#[test]
fn sigint_while_waiting_for_the_lock_exits_130_and_changes_nothing() {
    let db = pg_db("sigint_lock");
    let url = db.url();
    let proj = sleepy();
    let dir = proj.path();
    Mig::new(dir).url(url).args(["upgrade", "a"]).ok();
    let holder = Mig::new(dir).url(url).args(["upgrade", "head"]).spawn();
    wait_for("revision b to sleep", || sleeping(url).len() == 1);

    let waiter_dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(waiter_dir.path().join("versions")).expect("mkdir");
    for name in ["alembic.ini", "versions/a.sql", "versions/b.sql"] {
        std::fs::copy(dir.join(name), waiter_dir.path().join(name)).expect("copy");
    }
    let waiter = Mig::new(waiter_dir.path())
        .url(url)
        .args(["upgrade", "head"])
        .spawn();
    // Polling for the lock shows up as a second mig session whose last query tried it
    // (this query's own session is a `mig` one too, and its text matches: left out).
    wait_for("the second run to poll for the lock", || {
        pg_query(
            url,
            "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'mig' AND pid <> pg_backend_pid() \
             AND query LIKE '%pg_try_advisory_lock%'",
        )
        .len()
            == 1
    });
    waiter.signal("INT");
    let ended = waiter.wait();
    assert_eq!(ended.code, 130, "{}", ended.stderr);
    let err = ended.stderr;
    assert!(
        err.contains("FAILED: interrupted by SIGINT before anything was changed"),
        "{err}"
    );

    holder.signal("TERM");
    assert_eq!(holder.wait().code, 143);
    assert_eq!(Mig::new(dir).url(url).args(["current"]).ok(), "a\n");
    let again = Mig::new(dir).url(url).args(["status"]).run();
    assert!(again.stdout.ends_with("1 pending\n"), "{}", again.stdout);
}

/// SIGTERM while statement 2 of a `Transaction: none` revision waits: the statement is
/// cancelled (no server session lingers, unlike after SIGKILL), statement 1 stays
/// applied and the revision is recorded as interrupted; `--resume` finishes it.
#[test]
fn sigterm_in_a_non_transactional_revision_leaves_it_interrupted() {
    let db = pg_db("sigterm_none");
    let url = db.url();
    let proj = kill_project();
    let dir = proj.path();
    let held = hold_advisory_lock(url, 4242);
    let mig = Mig::new(dir).url(url);
    let child = mig.with(["upgrade", "head"]).spawn();
    wait_for("statement 2 of n2 to wait for the lock", || {
        pg_query(
            url,
            "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
             AND query LIKE 'INSERT INTO t1%' AND wait_event_type = 'Lock'",
        )
        .len()
            == 1
    });
    child.signal("TERM");
    let ended = child.wait();
    assert_eq!(ended.code, 143);
    let err = ended.stderr;
    assert!(
        err.contains("FAILED: interrupted by SIGTERM; revision `n2` failed at"),
        "{err}"
    );
    assert!(
        err.contains(
            "the step is recorded as interrupted: fix the cause and run `mig upgrade --resume`"
        ),
        "{err}"
    );
    // The cancelled session is gone while the test still holds the lock.
    assert!(pg_query(
        url,
        "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
         AND query LIKE 'INSERT INTO t1%'",
    )
    .is_empty());
    drop(held);
    let status = mig.with(["status"]).ok();
    assert!(
        status.contains(&format!(
            "revision n2 (versions/n2.sql) was interrupted after statement 1 of 3 (line {N2_LINE_1})"
        )),
        "{status}"
    );
    assert_eq!(mig.with(["upgrade", "head"]).run().code, 3);
    mig.with(["upgrade", "head", "--resume"]).ok();
    assert_eq!(pg_query(url, "SELECT count(*)::text FROM t1"), ["1"]);
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");
}
