//! Half-applied `Transaction: none` revisions (SPEC section 13), through the `mig`
//! binary: a run killed after statement 1 of 3, and a statement that fails after the
//! first one committed, leave an `in progress` row; `status`, `current`, `check` and
//! `upgrade` say so in words, a plain `upgrade` is refused (exit 3), `upgrade --resume`
//! runs the rest once, and `mig resolve` records a manual repair. PostgreSQL and SQLite
//! (MySQL/MariaDB: `mysql_interrupted.rs`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{block_on, pg_db};

/// What a `mig` run printed.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mig"));
    cmd.arg("--url")
        .arg(url)
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("MIG_CONFIG")
        .env_remove("ALEMBIC_CONFIG")
        .env("USER", "deployer")
        .env("HOSTNAME", "ci1");
    cmd
}

/// Runs `mig --url URL ARGS...` in `dir`.
pub fn mig(dir: &Path, url: &str, args: &[&str]) -> Out {
    let out = command(dir, url, args).output().expect("run mig");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Starts `mig --url URL ARGS...` in `dir` without waiting (output to files in `dir`).
pub fn spawn(dir: &Path, url: &str, args: &[&str]) -> Child {
    let stderr = std::fs::File::create(dir.join("spawned.stderr")).expect("stderr file");
    command(dir, url, args)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("spawn mig")
}

/// `mig` that must succeed; its stdout.
pub fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = mig(dir, url, args);
    assert_eq!(out.code, 0, "mig {args:?}: {}\n{}", out.stdout, out.stderr);
    out.stdout
}

/// A project in a temp dir: `alembic.ini` and `versions/<name>` for each file.
pub fn project(files: &[(&str, String)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    std::fs::write(
        tmp.path().join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n",
    )
    .expect("ini");
    for (name, text) in files {
        std::fs::write(tmp.path().join("versions").join(name), text).expect("write");
    }
    tmp
}

/// A revision file; `header` is extra header lines (`-- Transaction: none\n`).
pub fn rev(id: &str, down: &str, header: &str, up: &str, downgrade: &str) -> String {
    format!(
        "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {down}\n{header}\n-- migrate:upgrade\n\
         {up}\n\n-- migrate:downgrade\n{downgrade}\n"
    )
}

/// The rows of a one-column query, as text.
pub fn pg_query(url: &str, sql: &str) -> Vec<String> {
    let url = url.to_string();
    let sql = sql.to_string();
    block_on(async move {
        let mut conn = crate::support::connect_pg(&url).await.expect("connect");
        let rows: Vec<(Option<String>,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|(v,)| v.unwrap_or_default()).collect()
    })
}

/// Runs `sql` (several statements allowed).
pub fn pg_exec(url: &str, sql: &str) {
    let url = url.to_string();
    let sql = sql.to_string();
    block_on(async move {
        let mut conn = crate::support::connect_pg(&url).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
}

/// Waits for `done` (a state another process reaches), failing after a minute.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Advisory lock `key`, held by a session of the test until dropped.
pub struct HeldLock {
    release: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        drop(self.release.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Takes advisory lock `key` on a session of its own; returns once it is held.
pub fn hold_advisory_lock(url: &str, key: i64) -> HeldLock {
    let url = url.to_string();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        block_on(async move {
            let mut conn = crate::support::connect_pg(&url).await.expect("connect");
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(key)
                .execute(&mut conn)
                .await
                .expect("lock");
            held_tx.send(()).expect("held");
            let _ = tokio::task::spawn_blocking(move || wait.recv()).await;
            drop(conn);
        })
    });
    held_rx.recv().expect("the test holds the lock");
    HeldLock {
        release: Some(release),
        thread: Some(thread),
    }
}

/// `a` (transactional), then `n2`, `Transaction: none`, three statements; the second
/// waits for advisory lock 4242 (held by the test) and inserts one row into `t1`.
pub fn kill_project() -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
        (
            "n2.sql",
            rev(
                "n2",
                "a",
                "-- Transaction: none\n",
                "CREATE TABLE t1 (id int);\n\n\
                 INSERT INTO t1 SELECT 1 FROM (SELECT pg_advisory_xact_lock(4242)) AS waited;\n\n\
                 CREATE TABLE t3 (id int);",
                "DROP TABLE t3;\nDROP TABLE t1;",
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
    let mut child = spawn(dir, url, &["upgrade", "head"]);
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

#[test]
fn a_killed_non_transactional_revision_is_reported_refused_and_resumed() {
    let db = pg_db("killed_resume");
    let url = db.url();
    let proj = kill_project();
    let dir = proj.path();
    killed_after_statement_1(dir, url);
    let path = "versions/n2.sql";

    let status = mig(dir, url, &["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains(&wording(path)), "{}", status.stdout);
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
    assert!(
        current.stderr.contains(&wording(path)),
        "{}",
        current.stderr
    );
    let check = mig(dir, url, &["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains(&wording(path)), "{}", check.stderr);

    let refused = mig(dir, url, &["upgrade", "head"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&wording(path)),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("run `mig upgrade --resume` to continue it, or repair it by hand and run `mig resolve n2 --applied|--reverted --reason TEXT`"),
        "{}",
        refused.stderr
    );
    assert!(pg_query(url, "SELECT to_regclass('t3')::text")[0].is_empty());

    let resumed = mig(dir, url, &["upgrade", "head", "--resume"]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed
            .stderr
            .contains("Skipping statement 1 of 3 (line 8) of n2: applied by the interrupted run"),
        "{}",
        resumed.stderr
    );
    // Statement 2 ran once (one row), statement 3 once (it would fail a second time).
    assert_eq!(pg_query(url, "SELECT count(*)::text FROM t1"), ["1"]);
    assert_eq!(pg_query(url, "SELECT to_regclass('t3')::text"), ["t3"]);
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");
    assert_eq!(
        pg_query(
            url,
            "SELECT count(*)::text FROM mig_history WHERE progress IS NOT NULL"
        ),
        ["0"]
    );
    let status = ok(dir, url, &["status", "--exit-code"]);
    assert!(status.ends_with("heads: n2\nup to date\n"), "{status}");
    assert!(status.contains("applied      n2"), "{status}");
    let again = mig(dir, url, &["upgrade", "head"]);
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
    let wrong = mig(dir, url, &["resolve", "a", "--applied", "--reason", "x"]);
    assert_eq!(wrong.code, 3);
    assert!(
        wrong
            .stderr
            .contains("revision `a` has no interrupted step to resolve"),
        "{}",
        wrong.stderr
    );
    assert_eq!(mig(dir, url, &["resolve", "n2", "--applied"]).code, 2);

    // Undone by hand: the version table stays at `a`, and a plain upgrade runs n2 whole.
    pg_query(url, "DROP TABLE t1");
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
        pg_query(
            url,
            "SELECT direction || ' ' || progress || ' ' || reason || ' ' || operator \
             FROM mig_history WHERE direction = 'resolve'"
        ),
        ["resolve reverted dropped t1 by hand deployer@ci1"]
    );
    ok(dir, url, &["upgrade", "head"]);
    assert_eq!(pg_query(url, "SELECT count(*)::text FROM t1"), ["1"]);
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");
}

/// Statement 2 fails after statement 1 committed: the same state as a kill, without one;
/// resolved as applied after finishing the step by hand.
#[test]
fn a_failed_statement_after_a_committed_one_is_interrupted_and_resolved_as_applied() {
    let db = pg_db("failed_resolve");
    let url = db.url();
    let proj = project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
        (
            "n2.sql",
            rev(
                "n2",
                "a",
                "-- Transaction: none\n",
                "CREATE TABLE t1 (id int);\n\nINSERT INTO nope VALUES (1);\n\nCREATE TABLE t3 (id int);",
                "DROP TABLE t3;\nDROP TABLE t1;",
            ),
        ),
        (
            "b.sql",
            rev("b", "n2", "", "CREATE TABLE tb (id int);", "DROP TABLE tb;"),
        ),
    ]);
    let dir = proj.path();
    let failed = mig(dir, url, &["upgrade", "head"]);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(
            "the step is recorded as interrupted: fix the cause and run `mig upgrade --resume`"
        ),
        "{}",
        failed.stderr
    );
    let status = ok(dir, url, &["status"]);
    assert!(status.contains(&wording("versions/n2.sql")), "{status}");
    assert!(status.contains("pending      b "), "{status}");
    assert!(status.ends_with("1 interrupted\n2 pending\n"), "{status}");

    // A downgrade is refused too, naming the revision.
    let down = mig(dir, url, &["downgrade", "base"]);
    assert_eq!(down.code, 3);
    assert!(down.stderr.contains("revision n2 ("), "{}", down.stderr);

    pg_query(url, "CREATE TABLE t3 (id int)");
    let said = ok(
        dir,
        url,
        &[
            "resolve",
            "n2",
            "--applied",
            "--reason",
            "created t3 by hand",
        ],
    );
    assert_eq!(
        said,
        "Resolved the interrupted upgrade of n2 as applied; the version table holds n2\n"
    );
    ok(dir, url, &["upgrade", "head"]);
    assert_eq!(ok(dir, url, &["current"]), "b (head)\n");
    let status = ok(dir, url, &["status"]);
    assert!(status.ends_with("up to date\n"), "{status}");
    assert!(status.contains("applied      n2"), "{status}");
}

/// SQLite: the same path; the failing statement is fixed in the file and the run resumed.
#[test]
fn sqlite_records_progress_and_resumes_after_a_fix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:///{}", tmp.path().join("db.sqlite").display());
    let body = |second: &str| {
        format!("CREATE TABLE t1 (id int);\n\n{second}\n\nCREATE TABLE t3 (id int);")
    };
    let proj = project(&[(
        "n1.sql",
        rev(
            "n1",
            "",
            "-- Transaction: none\n",
            &body("INSERT INTO nope VALUES (1);"),
            "DROP TABLE t3;\nDROP TABLE t1;",
        ),
    )]);
    let dir = proj.path();
    let failed = mig(dir, &url, &["upgrade", "head"]);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    let status = ok(dir, &url, &["status"]);
    assert!(
        status.contains(
            "revision n1 (versions/n1.sql) was interrupted after statement 1 of 3 (line 8) at "
        ),
        "{status}"
    );
    assert_eq!(mig(dir, &url, &["upgrade", "head"]).code, 3);
    std::fs::write(
        dir.join("versions/n1.sql"),
        rev(
            "n1",
            "",
            "-- Transaction: none\n",
            &body("INSERT INTO t1 VALUES (1);"),
            "DROP TABLE t3;\nDROP TABLE t1;",
        ),
    )
    .expect("fix");
    // The version table moved since: resuming is refused until it is back.
    ok(dir, &url, &["stamp", "n1"]);
    let moved = mig(dir, &url, &["upgrade", "head", "--resume"]);
    assert_eq!(moved.code, 3);
    assert!(
        moved
            .stderr
            .contains("the version table holds [n1], the interrupted run recorded []"),
        "{}",
        moved.stderr
    );
    ok(dir, &url, &["stamp", "base"]);
    let resumed = mig(dir, &url, &["upgrade", "head", "--resume"]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("changed since the interrupted run"),
        "{}",
        resumed.stderr
    );
    assert_eq!(ok(dir, &url, &["current"]), "n1 (head)\n");
    assert!(ok(dir, &url, &["status"]).ends_with("heads: n1\nup to date\n"));
}
