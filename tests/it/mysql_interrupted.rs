//! Half-applied revisions on MySQL/MariaDB (SPEC section 13, issue 9 item 2), through the
//! `mig` binary against the private MariaDB server. Every MySQL DDL statement commits, so
//! every step records its progress statement by statement: a run SIGKILLed after
//! statement 1 of 3 leaves an `in progress` row, `status` says so in words, a plain
//! `upgrade` is refused (exit 3), `upgrade --resume` runs statements 2 and 3 once, and
//! `mig resolve` records a manual repair either way.

use std::path::Path;

use crate::online_interrupted::{
    assert_nothing_to_resolve_for_a, assert_reported_and_refused, assert_resolved, assert_resumed,
    assert_status_while_running, assert_up_to_date_at_n2,
};
use crate::support::mariadb::{
    hold_session, hold_user_lock, my_db, my_exec, my_kill, my_query, waiting_on_user_lock,
    waiting_revision, MyDb,
};
use crate::support::project::{project, revision, root_a, three_statements};
use crate::support::{wait_for, Mig};

/// `a`, then `n2` (no `Transaction: none`: on MySQL every step commits statement by
/// statement) whose statement 2 waits for a user lock held by the test.
fn kill_project(db: &MyDb) -> tempfile::TempDir {
    project(&[
        root_a(),
        ("n2.sql", waiting_revision("n2", "a", &lock_name(db))),
    ])
}

/// The line of statement 1 of `n2.sql` (header 4 lines, blank, marker).
const N2_LINE_1: usize = 7;

fn lock_name(db: &MyDb) -> String {
    format!("{}_stmt2", db.name())
}

/// Runs `mig upgrade head`, SIGKILLs it while statement 2 of `n2` waits, then ends the
/// orphaned server session.
fn killed_after_statement_1(dir: &Path, db: &MyDb) {
    let url = db.url();
    let held = hold_user_lock(url, &lock_name(db));
    let mut child = Mig::new(dir).url(url).args(["upgrade", "head"]).spawn();
    wait_for("statement 2 of n2 to wait for the user lock", || {
        waiting_on_user_lock(url, "INSERT INTO t1").len() == 1
    });
    let id = waiting_on_user_lock(url, "INSERT INTO t1").remove(0);
    assert_eq!(
        my_query(
            url,
            "SELECT CAST(statements_done AS CHAR) FROM mig_history \
             WHERE progress = 'in progress'"
        ),
        ["1"]
    );
    assert_status_while_running(dir, url);
    child.child().kill().expect("SIGKILL");
    child.wait();
    my_kill(url, &id);
    wait_for("the killed run's session to end", || {
        my_query(
            url,
            &format!("SELECT CAST(id AS CHAR) FROM information_schema.processlist WHERE id = {id}"),
        )
        .is_empty()
    });
    drop(held);
}

#[test]
fn mysql_a_killed_revision_is_reported_refused_and_resumed() {
    let db = my_db("my_killed_resume");
    let url = db.url();
    let proj = kill_project(&db);
    let dir = proj.path();
    killed_after_statement_1(dir, &db);

    assert_reported_and_refused(dir, url, N2_LINE_1);
    // Statement 1 committed, statement 2's row went with the killed session.
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["0"]);
    assert!(my_query(url, "SHOW TABLES LIKE 't3'").is_empty());

    assert_resumed(dir, url, N2_LINE_1);
    // Statement 2 ran once (one row), statement 3 once (it would fail a second time).
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(my_query(url, "SHOW TABLES LIKE 't3'"), ["t3"]);
    assert_eq!(
        my_query(
            url,
            "SELECT count(*) FROM mig_history WHERE progress IS NOT NULL"
        ),
        ["0"]
    );
    assert_up_to_date_at_n2(dir, url);
}

#[test]
fn mysql_a_killed_revision_resolved_by_hand_either_way() {
    let db = my_db("my_killed_resolve");
    let url = db.url();
    let proj = kill_project(&db);
    let dir = proj.path();
    killed_after_statement_1(dir, &db);

    assert_nothing_to_resolve_for_a(dir, url);

    // Undone by hand: the version table stays at `a`, a plain upgrade runs n2 whole.
    my_exec(url, "DROP TABLE t1");
    let mig = Mig::new(dir).url(url);
    assert_resolved(dir, url, false, "dropped t1 by hand");
    assert_eq!(
        my_query(
            url,
            "SELECT concat_ws(' ', direction, progress, reason, operator) \
             FROM mig_history WHERE direction = 'resolve'"
        ),
        ["resolve reverted dropped t1 by hand deployer@ci1"]
    );
    mig.with(["upgrade", "head"]).ok();
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");

    // Killed again after statement 1, finished by hand this time: resolved as applied.
    mig.with(["downgrade", "a"]).ok();
    killed_after_statement_1(dir, &db);
    my_exec(url, "INSERT INTO t1 VALUES (1); CREATE TABLE t3 (id int)");
    assert_resolved(dir, url, true, "finished by hand");
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");
    assert!(mig
        .with(["status"])
        .ok()
        .ends_with("heads: n2\nup to date\n"));
}

/// A statement that fails after the first one committed: the same state without a kill;
/// the file is fixed and the run resumed.
#[test]
fn mysql_a_failed_statement_after_a_committed_one_is_interrupted_and_resumed() {
    let db = my_db("my_failed_resume");
    let url = db.url();
    let proj = project(&[(
        "n1.sql",
        three_statements("n1", "", "", "INSERT INTO nope VALUES (1);"),
    )]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(failed.stderr.contains("nope"), "{}", failed.stderr);
    let status = mig.with(["status"]).ok();
    assert!(
        status.contains(
            "revision n1 (versions/n1.sql) was interrupted after statement 1 of 3 (line 7) at "
        ),
        "{status}"
    );
    assert_eq!(mig.with(["upgrade", "head"]).run().code, 3);
    std::fs::write(
        dir.join("versions/n1.sql"),
        three_statements("n1", "", "", "INSERT INTO t1 VALUES (1);"),
    )
    .expect("fix");
    let resumed = mig.with(["upgrade", "head", "--resume"]).run();
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(mig.with(["current"]).ok(), "n1 (head)\n");
    assert!(mig
        .with(["status"])
        .ok()
        .ends_with("heads: n1\nup to date\n"));
}

/// `a`, then `b` whose statement `failing_at` fails, with `body` before it.
fn failing_project(body: &str) -> tempfile::TempDir {
    project(&[
        root_a(),
        (
            "b.sql",
            revision(
                "b",
                "a",
                &format!("{body}\n\nINSERT INTO nope VALUES (1);"),
                "DELETE FROM t0;",
            ),
        ),
    ])
}

/// Only DML ran before the failure: no implicit commit, so the rollback took the step
/// whole (its progress row too): it is pending, not interrupted, and nothing is said to
/// stay applied.
#[test]
fn mysql_a_failed_dml_only_step_rolls_back_whole_and_stays_pending() {
    let db = my_db("my_dml_rollback");
    let url = db.url();
    let proj = failing_project("INSERT INTO t0 VALUES (1);");
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "a"]).ok();
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(
            "the database now: the version table holds `a`; rolled back: `upgrade a -> b`\n"
        ),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains("stay applied"), "{}", failed.stderr);
    assert!(
        !failed.stderr.contains("recorded as interrupted"),
        "{}",
        failed.stderr
    );
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["0"]);
    let status = mig.with(["status"]).ok();
    assert!(status.ends_with("heads: b\n1 pending\n"), "{status}");
}

/// DML, then DDL (which commits it), then the failure: both stay applied, the step is
/// interrupted after statement 2 of 3, and the message says so.
#[test]
fn mysql_dml_committed_by_a_later_ddl_is_reported_as_applied() {
    let db = my_db("my_dml_committed");
    let url = db.url();
    let proj = failing_project("INSERT INTO t0 VALUES (1);\n\nCREATE TABLE t9 (id int);");
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "a"]).ok();
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(
            "the database now: the version table holds `a`; nothing was rolled back\n\
             statements of the failed step that already ran and stay applied (MySQL commits \
             implicitly at each DDL statement):\n  \
             line 7, column 1: INSERT INTO t0 VALUES (1)\n  \
             line 9, column 1: CREATE TABLE t9 (id int)\n\
             the step is recorded as interrupted"
        ),
        "{}",
        failed.stderr
    );
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["1"]);
    let status = mig.with(["status"]).ok();
    assert!(
        status.contains(
            "revision b (versions/b.sql) was interrupted after statement 2 of 3 (line 9)"
        ),
        "{status}"
    );
}

/// SIGTERM while statement 2 waits for a table lock: `KILL QUERY` ends it, the run exits
/// 143 naming the statement and what stays applied, and the step is interrupted after
/// statement 1 (the killed statement left nothing).
#[test]
fn mysql_sigterm_in_statement_2_cancels_it_and_leaves_the_step_interrupted() {
    let db = my_db("my_sigterm");
    let url = db.url();
    let proj = project(&[
        root_a(),
        (
            "b.sql",
            three_statements("b", "a", "", "INSERT INTO t0 VALUES (1);"),
        ),
    ]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "a"]).ok();
    let held = hold_session(url, "LOCK TABLES t0 WRITE");
    let child = mig.with(["upgrade", "head"]).spawn();
    let waiting = "SELECT CAST(id AS CHAR) FROM information_schema.processlist \
                   WHERE db = DATABASE() AND info LIKE 'INSERT INTO t0%' \
                   AND state LIKE 'Waiting for table%'";
    wait_for("statement 2 of b to wait for the table lock", || {
        my_query(url, waiting).len() == 1
    });
    child.signal("TERM");
    let ended = child.wait();
    assert_eq!(ended.code, 143);
    let err = ended.stderr;
    assert!(
        err.contains("FAILED: interrupted by SIGTERM; revision `b` failed at"),
        "{err}"
    );
    assert!(err.contains("Query execution was interrupted"), "{err}");
    assert!(
        err.contains(
            "stay applied (MySQL commits implicitly at each DDL statement):\n  \
                      line 7, column 1: CREATE TABLE t1 (id int)\nthe step is recorded"
        ),
        "{err}"
    );
    drop(held);
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["0"]);
    let status = mig.with(["status"]).ok();
    assert!(
        status.contains(
            "revision b (versions/b.sql) was interrupted after statement 1 of 3 (line 7)"
        ),
        "{status}"
    );
    mig.with(["upgrade", "head", "--resume"]).ok();
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["1"]);
    assert_eq!(mig.with(["current"]).ok(), "b (head)\n");
}

/// The first run on a fresh database: the version and history tables (DDL, which commits
/// implicitly) are created before the step's transaction, so a failing DML-only first
/// revision is still rolled back whole.
#[test]
fn mysql_a_failed_dml_only_first_revision_rolls_back_whole() {
    let db = my_db("my_first_dml");
    let url = db.url();
    crate::support::mariadb::my_exec(url, "CREATE TABLE t0 (id int)");
    let proj = project(&[(
        "a.sql",
        revision(
            "a",
            "",
            "INSERT INTO t0 VALUES (1);\n\nINSERT INTO nope VALUES (1);",
            "DELETE FROM t0;",
        ),
    )]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed
            .stderr
            .contains("the version table holds no revision; rolled back: `upgrade  -> a`\n"),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains("stay applied"), "{}", failed.stderr);
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["0"]);
    assert!(mig.with(["status"]).ok().ends_with("heads: a\n1 pending\n"));
    assert_eq!(
        my_query(
            url,
            "SELECT concat(revision, ' ', success) FROM mig_history"
        ),
        ["a 0"]
    );
}
