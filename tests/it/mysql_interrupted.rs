//! Half-applied revisions on MySQL/MariaDB (SPEC section 13, issue 9 item 2), through the
//! `mig` binary against the private MariaDB server. Every MySQL DDL statement commits, so
//! every step records its progress statement by statement: a run SIGKILLed after
//! statement 1 of 3 leaves an `in progress` row, `status` says so in words, a plain
//! `upgrade` is refused (exit 3), `upgrade --resume` runs statements 2 and 3 once, and
//! `mig resolve` records a manual repair either way.

use std::path::Path;

use crate::mysql::{hold_session, hold_user_lock, waiting_on_user_lock, waiting_revision};
use crate::online_interrupted::{mig, ok, project, rev, spawn, wait_for};
use crate::signals::signal;
use crate::support::mariadb::{my_db, my_exec, my_kill, my_query, MyDb};

/// `a`, then `n2` (no `Transaction: none`: on MySQL every step commits statement by
/// statement) whose statement 2 waits for a user lock held by the test.
fn kill_project(db: &MyDb) -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
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
    let mut child = spawn(dir, url, &["upgrade", "head"]);
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
    let running = ok(dir, url, &["status"]);
    assert!(
        running.contains(
            "1 interrupted\nanother mig run holds the migration lock now: an `interrupted` \
             step may still be running\n"
        ),
        "{running}"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
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

fn wording() -> String {
    format!(
        "revision n2 (versions/n2.sql) was interrupted after statement 1 of 3 (line {N2_LINE_1}) at "
    )
}

#[test]
fn mysql_a_killed_revision_is_reported_refused_and_resumed() {
    let db = my_db("my_killed_resume");
    let url = db.url();
    let proj = kill_project(&db);
    let dir = proj.path();
    killed_after_statement_1(dir, &db);

    let status = mig(dir, url, &["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains(&wording()), "{}", status.stdout);
    assert!(
        status
            .stdout
            .contains("by deployer@ci1; statements 1..1 are applied"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("interrupted  n2"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.ends_with("1 interrupted\n1 pending\n"),
        "{}",
        status.stdout
    );
    assert_eq!(mig(dir, url, &["status", "--exit-code"]).code, 1);
    let current = mig(dir, url, &["current"]);
    assert_eq!((current.code, current.stdout.as_str()), (0, "a\n"));
    assert!(current.stderr.contains(&wording()), "{}", current.stderr);
    let check = mig(dir, url, &["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains(&wording()), "{}", check.stderr);

    let refused = mig(dir, url, &["upgrade", "head"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains(&wording()), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("run `mig upgrade --resume` to continue it"),
        "{}",
        refused.stderr
    );
    // Statement 1 committed, statement 2's row went with the killed session.
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["0"]);
    assert!(my_query(url, "SHOW TABLES LIKE 't3'").is_empty());

    let resumed = mig(dir, url, &["upgrade", "head", "--resume"]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed
            .stderr
            .contains("Skipping statement 1 of 3 (line 7) of n2: applied by the interrupted run"),
        "{}",
        resumed.stderr
    );
    // Statement 2 ran once (one row), statement 3 once (it would fail a second time).
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(my_query(url, "SHOW TABLES LIKE 't3'"), ["t3"]);
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");
    assert_eq!(
        my_query(
            url,
            "SELECT count(*) FROM mig_history WHERE progress IS NOT NULL"
        ),
        ["0"]
    );
    let status = ok(dir, url, &["status", "--exit-code"]);
    assert!(status.ends_with("heads: n2\nup to date\n"), "{status}");
    assert!(status.contains("applied      n2"), "{status}");
}

#[test]
fn mysql_a_killed_revision_resolved_by_hand_either_way() {
    let db = my_db("my_killed_resolve");
    let url = db.url();
    let proj = kill_project(&db);
    let dir = proj.path();
    killed_after_statement_1(dir, &db);

    let wrong = mig(dir, url, &["resolve", "a", "--applied", "--reason", "x"]);
    assert_eq!(wrong.code, 3);
    assert!(
        wrong
            .stderr
            .contains("revision `a` has no interrupted step to resolve"),
        "{}",
        wrong.stderr
    );

    // Undone by hand: the version table stays at `a`, a plain upgrade runs n2 whole.
    my_exec(url, "DROP TABLE t1");
    let said = ok(
        dir,
        url,
        &[
            "resolve",
            "n2",
            "--reverted",
            "--reason",
            "dropped t1 by hand",
        ],
    );
    assert_eq!(
        said,
        "Resolved the interrupted upgrade of n2 as reverted; the version table holds a\n"
    );
    assert_eq!(
        my_query(
            url,
            "SELECT concat_ws(' ', direction, progress, reason, operator) \
             FROM mig_history WHERE direction = 'resolve'"
        ),
        ["resolve reverted dropped t1 by hand deployer@ci1"]
    );
    ok(dir, url, &["upgrade", "head"]);
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");

    // Killed again after statement 1, finished by hand this time: resolved as applied.
    ok(dir, url, &["downgrade", "a"]);
    killed_after_statement_1(dir, &db);
    my_exec(url, "INSERT INTO t1 VALUES (1); CREATE TABLE t3 (id int)");
    let said = ok(
        dir,
        url,
        &["resolve", "n2", "--applied", "--reason", "finished by hand"],
    );
    assert_eq!(
        said,
        "Resolved the interrupted upgrade of n2 as applied; the version table holds n2\n"
    );
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");
    assert!(ok(dir, url, &["status"]).ends_with("heads: n2\nup to date\n"));
}

/// A statement that fails after the first one committed: the same state without a kill;
/// the file is fixed and the run resumed.
#[test]
fn mysql_a_failed_statement_after_a_committed_one_is_interrupted_and_resumed() {
    let db = my_db("my_failed_resume");
    let url = db.url();
    let body = |second: &str| {
        format!("CREATE TABLE t1 (id int);\n\n{second}\n\nCREATE TABLE t3 (id int);")
    };
    let proj = project(&[(
        "n1.sql",
        rev(
            "n1",
            "",
            "",
            &body("INSERT INTO nope VALUES (1);"),
            "DROP TABLE t3;\nDROP TABLE t1;",
        ),
    )]);
    let dir = proj.path();
    let failed = mig(dir, url, &["upgrade", "head"]);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(failed.stderr.contains("nope"), "{}", failed.stderr);
    let status = ok(dir, url, &["status"]);
    assert!(
        status.contains(
            "revision n1 (versions/n1.sql) was interrupted after statement 1 of 3 (line 7) at "
        ),
        "{status}"
    );
    assert_eq!(mig(dir, url, &["upgrade", "head"]).code, 3);
    std::fs::write(
        dir.join("versions/n1.sql"),
        rev(
            "n1",
            "",
            "",
            &body("INSERT INTO t1 VALUES (1);"),
            "DROP TABLE t3;\nDROP TABLE t1;",
        ),
    )
    .expect("fix");
    let resumed = mig(dir, url, &["upgrade", "head", "--resume"]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    assert_eq!(ok(dir, url, &["current"]), "n1 (head)\n");
    assert!(ok(dir, url, &["status"]).ends_with("heads: n1\nup to date\n"));
}

/// `a`, then `b` whose statement `failing_at` fails, with `body` before it.
fn failing_project(body: &str) -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
        (
            "b.sql",
            rev(
                "b",
                "a",
                "",
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
    ok(dir, url, &["upgrade", "a"]);
    let failed = mig(dir, url, &["upgrade", "head"]);
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
    let status = ok(dir, url, &["status"]);
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
    ok(dir, url, &["upgrade", "a"]);
    let failed = mig(dir, url, &["upgrade", "head"]);
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
    let status = ok(dir, url, &["status"]);
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
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
        (
            "b.sql",
            rev(
                "b",
                "a",
                "",
                "CREATE TABLE t1 (id int);\n\nINSERT INTO t0 VALUES (1);\n\nCREATE TABLE t3 (id int);",
                "DROP TABLE t3;\nDROP TABLE t1;",
            ),
        ),
    ]);
    let dir = proj.path();
    ok(dir, url, &["upgrade", "a"]);
    let held = hold_session(url, "LOCK TABLES t0 WRITE");
    let child = spawn(dir, url, &["upgrade", "head"]);
    let waiting = "SELECT CAST(id AS CHAR) FROM information_schema.processlist \
                   WHERE db = DATABASE() AND info LIKE 'INSERT INTO t0%' \
                   AND state LIKE 'Waiting for table%'";
    wait_for("statement 2 of b to wait for the table lock", || {
        my_query(url, waiting).len() == 1
    });
    signal(&child, "TERM");
    let output = child.wait_with_output().expect("mig ends");
    assert_eq!(output.status.code(), Some(143));
    let err = std::fs::read_to_string(dir.join("spawned.stderr")).expect("stderr");
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
    let status = ok(dir, url, &["status"]);
    assert!(
        status.contains(
            "revision b (versions/b.sql) was interrupted after statement 1 of 3 (line 7)"
        ),
        "{status}"
    );
    ok(dir, url, &["upgrade", "head", "--resume"]);
    assert_eq!(my_query(url, "SELECT count(*) FROM t0"), ["1"]);
    assert_eq!(ok(dir, url, &["current"]), "b (head)\n");
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
        rev(
            "a",
            "",
            "",
            "INSERT INTO t0 VALUES (1);\n\nINSERT INTO nope VALUES (1);",
            "DELETE FROM t0;",
        ),
    )]);
    let dir = proj.path();
    let failed = mig(dir, url, &["upgrade", "head"]);
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
    assert!(ok(dir, url, &["status"]).ends_with("heads: a\n1 pending\n"));
    assert_eq!(
        my_query(
            url,
            "SELECT concat(revision, ' ', success) FROM mig_history"
        ),
        ["a 0"]
    );
}
