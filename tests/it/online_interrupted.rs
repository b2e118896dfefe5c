//! Half-applied `Transaction: none` revisions (SPEC section 13), through the `mig`
//! binary: a run killed after statement 1 of 3, and a statement that fails after the
//! first one committed, leave an `in progress` row; `status`, `current`, `check` and
//! `upgrade` say so in words, a plain `upgrade` is refused (exit 3), `upgrade --resume`
//! runs the rest once, and `mig resolve` records a manual repair. PostgreSQL and SQLite
//! (MySQL/MariaDB: `mysql_interrupted.rs`).

use std::path::Path;

use crate::support::project::{project, revision, root_a, three_statements};
use crate::support::{hold_session, pg_db, pg_query, wait_for, HeldSession, Mig, Run};

/// Takes advisory lock `key` on a session of its own; returns once it is held.
pub fn hold_advisory_lock(url: &str, key: i64) -> HeldSession {
    let url = url.to_string();
    hold_session(async move {
        let mut conn = crate::support::connect_pg(&url).await.expect("connect");
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(key)
            .execute(&mut conn)
            .await
            .expect("lock");
        conn
    })
}

/// `a` (transactional), then `n2`, `Transaction: none`, three statements; the second
/// waits for advisory lock 4242 (held by the test) and inserts one row into `t1`.
pub fn kill_project() -> tempfile::TempDir {
    project(&[
        root_a(),
        (
            "n2.sql",
            three_statements(
                "n2",
                "a",
                "-- Transaction: none\n",
                "INSERT INTO t1 SELECT 1 FROM (SELECT pg_advisory_xact_lock(4242)) AS waited;",
            ),
        ),
    ])
}

/// The line of statement 1 of `n2.sql` (header 5 lines, blank, marker).
pub const N2_LINE_1: usize = 8;

/// Runs `mig upgrade head` and SIGKILLs it while statement 2 of `n2` waits, then ends
/// the orphaned server session (as `client_connection_check_interval` would).
fn killed_after_statement_1(dir: &Path, url: &str) {
    let held = hold_advisory_lock(url, 4242);
    let mut child = Mig::new(dir).url(url).args(["upgrade", "head"]).spawn();
    let waiting = "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
                   AND query LIKE 'INSERT INTO t1%' AND wait_event_type = 'Lock'";
    wait_for("statement 2 of n2 to wait for the lock", || {
        pg_query(url, waiting).len() == 1
    });
    let pid = pg_query(url, waiting).remove(0);
    assert_eq!(
        pg_query(
            url,
            "SELECT statements_done::text FROM mig_history WHERE progress = 'in progress'"
        ),
        ["1"]
    );
    // While it runs, `status` sees the step and that a run holds the lock.
    assert_status_while_running(dir, url);
    child.child().kill().expect("SIGKILL");
    child.wait();
    pg_query(url, &format!("SELECT pg_terminate_backend({pid})::text"));
    wait_for("the killed run's session to end", || {
        pg_query(
            url,
            &format!("SELECT pid::text FROM pg_stat_activity WHERE pid = {pid}"),
        )
        .is_empty()
    });
    drop(held);
}

fn wording(path: &str) -> String {
    format!("revision n2 ({path}) was interrupted after statement 1 of 3 (line {N2_LINE_1}) at ")
}

/// `status` while the run that left `n2` interrupted still holds the migration lock.
pub fn assert_status_while_running(dir: &Path, url: &str) {
    let running = Mig::new(dir).url(url).args(["status"]).ok();
    assert!(
        running.contains(
            "1 interrupted\nanother mig run holds the migration lock now: an `interrupted` \
             step may still be running\n"
        ),
        "{running}"
    );
}

/// After a run died in statement 2 of `n2` (statement 1, at `line`, applied): `status`,
/// `current` and `check` say so in words and a plain `upgrade` is refused (exit 3),
/// pointing at `--resume`. Returns the refusal.
pub fn assert_reported_and_refused(dir: &Path, url: &str, line: usize) -> Run {
    let wording = format!(
        "revision n2 (versions/n2.sql) was interrupted after statement 1 of 3 (line {line}) at "
    );
    let mig = || Mig::new(dir).url(url);
    let status = mig().args(["status"]).run();
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains(&wording), "{}", status.stdout);
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
    assert_eq!(mig().args(["status", "--exit-code"]).run().code, 1);

    let current = mig().args(["current"]).run();
    assert_eq!((current.code, current.stdout.as_str()), (0, "a\n"));
    assert!(current.stderr.contains(&wording), "{}", current.stderr);
    let check = mig().args(["check"]).run();
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains(&wording), "{}", check.stderr);

    let refused = mig().args(["upgrade", "head"]).run();
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains(&wording), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("run `mig upgrade --resume` to continue it"),
        "{}",
        refused.stderr
    );
    refused
}

/// `upgrade --resume` skips statement 1 (at `line`) of `n2` and finishes it.
pub fn assert_resumed(dir: &Path, url: &str, line: usize) {
    let resumed = Mig::new(dir)
        .url(url)
        .args(["upgrade", "head", "--resume"])
        .run();
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let skipped =
        format!("Skipping statement 1 of 3 (line {line}) of n2: applied by the interrupted run");
    assert!(resumed.stderr.contains(&skipped), "{}", resumed.stderr);
}

/// `n2` is the head and `status --exit-code` reports it applied and nothing pending.
pub fn assert_up_to_date_at_n2(dir: &Path, url: &str) {
    let mig = Mig::new(dir).url(url);
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");
    let status = mig.with(["status", "--exit-code"]).ok();
    assert!(status.ends_with("heads: n2\nup to date\n"), "{status}");
    assert!(status.contains("applied      n2"), "{status}");
}

/// `resolve n2 --applied|--reverted --reason REASON` says where the version table now is
/// (`n2` or `a`).
pub fn assert_resolved(dir: &Path, url: &str, applied: bool, reason: &str) {
    let (flag, how, holds) = if applied {
        ("--applied", "applied", "n2")
    } else {
        ("--reverted", "reverted", "a")
    };
    let said = Mig::new(dir)
        .url(url)
        .args(["resolve", "n2", flag, "--reason", reason])
        .ok();
    assert_eq!(
        said,
        format!(
            "Resolved the interrupted upgrade of n2 as {how}; the version table holds {holds}\n"
        )
    );
}

/// `resolve` of a revision with no interrupted step: exit 3, naming it.
pub fn assert_nothing_to_resolve_for_a(dir: &Path, url: &str) {
    let wrong = Mig::new(dir)
        .url(url)
        .args(["resolve", "a", "--applied", "--reason", "x"])
        .run();
    assert_eq!(wrong.code, 3);
    assert!(
        wrong
            .stderr
            .contains("revision `a` has no interrupted step to resolve"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn a_killed_non_transactional_revision_is_reported_refused_and_resumed() {
    let db = pg_db("killed_resume");
    let url = db.url();
    let proj = kill_project();
    let dir = proj.path();
    killed_after_statement_1(dir, url);

    let refused = assert_reported_and_refused(dir, url, N2_LINE_1);
    assert!(
        refused.stderr.contains("run `mig upgrade --resume` to continue it, or repair it by hand and run `mig resolve n2 --applied|--reverted --reason TEXT`"),
        "{}",
        refused.stderr
    );
    assert!(pg_query(url, "SELECT to_regclass('t3')::text")[0].is_empty());

    assert_resumed(dir, url, N2_LINE_1);
    // Statement 2 ran once (one row), statement 3 once (it would fail a second time).
    assert_eq!(pg_query(url, "SELECT count(*)::text FROM t1"), ["1"]);
    assert_eq!(pg_query(url, "SELECT to_regclass('t3')::text"), ["t3"]);
    assert_eq!(
        pg_query(
            url,
            "SELECT count(*)::text FROM mig_history WHERE progress IS NOT NULL"
        ),
        ["0"]
    );
    assert_up_to_date_at_n2(dir, url);
    let again = Mig::new(dir).url(url).args(["upgrade", "head"]).run();
    assert_eq!(again.code, 0);
    assert!(
        again.stderr.contains("Already at head n2; nothing to do."),
        "{}",
        again.stderr
    );
}

#[test]
fn a_killed_revision_resolved_by_hand_either_way() {
    let db = pg_db("killed_resolve");
    let url = db.url();
    let proj = kill_project();
    let dir = proj.path();
    killed_after_statement_1(dir, url);

    // Nothing to resolve for another revision; the reason is required.
    assert_nothing_to_resolve_for_a(dir, url);
    let mig = Mig::new(dir).url(url);
    assert_eq!(mig.with(["resolve", "n2", "--applied"]).run().code, 2);

    // Undone by hand: the version table stays at `a`, and a plain upgrade runs n2 whole.
    pg_query(url, "DROP TABLE t1");
    assert_resolved(dir, url, false, "dropped t1 by hand");
    assert_eq!(
        pg_query(
            url,
            "SELECT direction || ' ' || progress || ' ' || reason || ' ' || operator \
             FROM mig_history WHERE direction = 'resolve'"
        ),
        ["resolve reverted dropped t1 by hand deployer@ci1"]
    );
    mig.with(["upgrade", "head"]).ok();
    assert_eq!(pg_query(url, "SELECT count(*)::text FROM t1"), ["1"]);
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");
}

/// Statement 2 fails after statement 1 committed: the same state as a kill, without one;
/// resolved as applied after finishing the step by hand.
#[test]
fn a_failed_statement_after_a_committed_one_is_interrupted_and_resolved_as_applied() {
    let db = pg_db("failed_resolve");
    let url = db.url();
    let proj = project(&[
        root_a(),
        (
            "n2.sql",
            three_statements(
                "n2",
                "a",
                "-- Transaction: none\n",
                "INSERT INTO nope VALUES (1);",
            ),
        ),
        (
            "b.sql",
            revision("b", "n2", "CREATE TABLE tb (id int);", "DROP TABLE tb;"),
        ),
    ]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(
            "the step is recorded as interrupted: fix the cause and run `mig upgrade --resume`"
        ),
        "{}",
        failed.stderr
    );
    let status = mig.with(["status"]).ok();
    assert!(status.contains(&wording("versions/n2.sql")), "{status}");
    assert!(status.contains("pending      b "), "{status}");
    assert!(status.ends_with("1 interrupted\n2 pending\n"), "{status}");

    // A downgrade is refused too, naming the revision.
    let down = mig.with(["downgrade", "base"]).run();
    assert_eq!(down.code, 3);
    assert!(down.stderr.contains("revision n2 ("), "{}", down.stderr);

    pg_query(url, "CREATE TABLE t3 (id int)");
    assert_resolved(dir, url, true, "created t3 by hand");
    mig.with(["upgrade", "head"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "b (head)\n");
    let status = mig.with(["status"]).ok();
    assert!(status.ends_with("up to date\n"), "{status}");
    assert!(status.contains("applied      n2"), "{status}");
}

/// SQLite: the same path; the failing statement is fixed in the file and the run resumed.
#[test]
fn sqlite_records_progress_and_resumes_after_a_fix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:///{}", tmp.path().join("db.sqlite").display());
    let proj = project(&[(
        "n1.sql",
        three_statements(
            "n1",
            "",
            "-- Transaction: none\n",
            "INSERT INTO nope VALUES (1);",
        ),
    )]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    let failed = mig.with(["upgrade", "head"]).run();
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    let status = mig.with(["status"]).ok();
    assert!(
        status.contains(
            "revision n1 (versions/n1.sql) was interrupted after statement 1 of 3 (line 8) at "
        ),
        "{status}"
    );
    assert_eq!(mig.with(["upgrade", "head"]).run().code, 3);
    std::fs::write(
        dir.join("versions/n1.sql"),
        three_statements(
            "n1",
            "",
            "-- Transaction: none\n",
            "INSERT INTO t1 VALUES (1);",
        ),
    )
    .expect("fix");
    // The version table moved since: resuming is refused until it is back.
    mig.with(["stamp", "n1"]).ok();
    let moved = mig.with(["upgrade", "head", "--resume"]).run();
    assert_eq!(moved.code, 3);
    assert!(
        moved
            .stderr
            .contains("the version table holds [n1], the interrupted run recorded []"),
        "{}",
        moved.stderr
    );
    mig.with(["stamp", "base"]).ok();
    let resumed = mig.with(["upgrade", "head", "--resume"]).run();
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("changed since the interrupted run"),
        "{}",
        resumed.stderr
    );
    assert_eq!(mig.with(["current"]).ok(), "n1 (head)\n");
    assert!(mig
        .with(["status"])
        .ok()
        .ends_with("heads: n1\nup to date\n"));
}
