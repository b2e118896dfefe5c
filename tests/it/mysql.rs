//! MySQL/MariaDB through the `mig` binary, against the tests' private MariaDB server:
//! upgrade, downgrade, current, stamp and status on a small history; the version table and
//! `mig_history` rows as Alembic (and mig on PostgreSQL) write them; the `GET_LOCK`
//! migration lock held by one run makes another wait and time out naming the holder.

use crate::online_interrupted::{mig, ok, project, rev, spawn, wait_for};
use crate::support::mariadb::{my_db, my_query};

/// `a` -> `b` -> `c`, each creating one table.
fn chain() -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t_a (id int);", "DROP TABLE t_a;"),
        ),
        (
            "b.sql",
            rev(
                "b",
                "a",
                "",
                "CREATE TABLE t_b (id int);\n\nINSERT INTO t_b VALUES (1);",
                "DROP TABLE t_b;",
            ),
        ),
        (
            "c.sql",
            rev(
                "c",
                "b",
                "",
                "CREATE TABLE t_c (id int);",
                "DROP TABLE t_c;",
            ),
        ),
    ])
}

/// The tables of the database at `url`, sorted.
fn tables(url: &str) -> Vec<String> {
    my_query(
        url,
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = DATABASE() ORDER BY table_name",
    )
}

#[test]
fn upgrade_downgrade_current_stamp_and_status_on_mariadb() {
    let db = my_db("my_basic");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();

    assert_eq!(ok(dir, url, &["current"]), "");
    assert!(ok(dir, url, &["status"]).ends_with("heads: c\n3 pending\n"));
    let up = mig(dir, url, &["upgrade", "b"]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert!(
        up.stderr.contains("Running upgrade a -> b, b"),
        "{}",
        up.stderr
    );
    assert_eq!(ok(dir, url, &["current"]), "b\n");
    assert_eq!(
        tables(url),
        ["alembic_version", "mig_history", "t_a", "t_b"]
    );
    assert_eq!(my_query(url, "SELECT count(*) FROM t_b"), ["1"]);
    let status = ok(dir, url, &["status"]);
    assert!(
        status.starts_with("applied      a  versions/a.sql  applied 20"),
        "{status}"
    );
    assert!(status.contains(" UTC by deployer@ci1\n"), "{status}");
    assert!(
        status.ends_with("pending      c  versions/c.sql\nheads: c\n1 pending\n"),
        "{status}"
    );
    assert_eq!(mig(dir, url, &["status", "--exit-code"]).code, 1);

    ok(dir, url, &["upgrade", "head"]);
    assert_eq!(ok(dir, url, &["current"]), "c (head)\n");
    let again = mig(dir, url, &["upgrade", "head"]);
    assert!(
        again.stderr.contains("Already at head c; nothing to do."),
        "{}",
        again.stderr
    );
    assert!(ok(dir, url, &["status", "--exit-code"]).ends_with("heads: c\nup to date\n"));

    ok(dir, url, &["downgrade", "-1"]);
    assert_eq!(ok(dir, url, &["current"]), "b\n");
    assert!(!tables(url).contains(&"t_c".to_string()));
    ok(dir, url, &["downgrade", "base"]);
    assert_eq!(ok(dir, url, &["current"]), "");
    assert_eq!(tables(url), ["alembic_version", "mig_history"]);

    // Stamp writes the version table only.
    ok(dir, url, &["stamp", "c"]);
    assert_eq!(ok(dir, url, &["current"]), "c (head)\n");
    assert_eq!(tables(url), ["alembic_version", "mig_history"]);
    ok(dir, url, &["stamp", "base"]);
    assert_eq!(my_query(url, "SELECT count(*) FROM alembic_version"), ["0"]);
}

#[test]
fn the_version_table_and_history_rows_are_as_alembic_and_mig_write_them() {
    let db = my_db("my_tables");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();
    ok(dir, url, &["upgrade", "b"]);
    ok(dir, url, &["downgrade", "a"]);

    // Alembic's MySQL version table: `version_num VARCHAR(32) NOT NULL`, primary key.
    assert_eq!(
        my_query(
            url,
            "SELECT concat(column_name, ' ', column_type, ' ', is_nullable, ' ', column_key) \
             FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'alembic_version'"
        ),
        ["version_num varchar(32) NO PRI"]
    );
    assert_eq!(
        my_query(url, "SELECT version_num FROM alembic_version"),
        ["a"]
    );
    assert_eq!(
        my_query(
            url,
            "SELECT concat_ws(' ', revision, direction, success, operator, \
             length(checksum), progress IS NULL, duration_ms >= 0) \
             FROM mig_history ORDER BY started_at, direction DESC"
        ),
        [
            "a upgrade 1 deployer@ci1 64 1 1",
            "b upgrade 1 deployer@ci1 64 1 1",
            "b downgrade 1 deployer@ci1 64 1 1",
        ]
    );
    assert_eq!(
        my_query(url, "SELECT DISTINCT mig_version FROM mig_history"),
        [env!("CARGO_PKG_VERSION")]
    );
}

/// A revision whose second statement waits for user lock `name`, held by the test.
pub fn waiting_revision(id: &str, down: &str, name: &str) -> String {
    rev(
        id,
        down,
        "",
        &format!(
            "CREATE TABLE t1 (id int);\n\n\
             INSERT INTO t1 SELECT 1 FROM (SELECT GET_LOCK('{name}', 600) AS got) AS waited;\n\n\
             CREATE TABLE t3 (id int);"
        ),
        "DROP TABLE t3;\nDROP TABLE t1;",
    )
}

/// A session of the test, holding what its statements took until dropped.
pub struct HeldSession {
    release: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for HeldSession {
    fn drop(&mut self) {
        drop(self.release.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs `sql` on a session of its own (`LOCK TABLES t WRITE`); returns once it ran.
pub fn hold_session(url: &str, sql: &str) -> HeldSession {
    use sqlx::Connection as _;
    let (url, sql) = (url.to_string(), sql.to_string());
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        crate::support::block_on(async move {
            let mut conn = sqlx::MySqlConnection::connect(&url).await.expect("connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            held_tx.send(()).expect("held");
            let _ = tokio::task::spawn_blocking(move || wait.recv()).await;
            let _ = conn.close().await;
        })
    });
    held_rx
        .recv()
        .expect("the test's session ran its statements");
    HeldSession {
        release: Some(release),
        thread: Some(thread),
    }
}

/// Takes user lock `name` (`GET_LOCK`, named for one test: free) on a session of its own
/// until dropped.
pub fn hold_user_lock(url: &str, name: &str) -> HeldSession {
    hold_session(url, &format!("DO GET_LOCK('{name}', 10)"))
}

/// Connection ids of sessions of this database running a statement that starts `prefix`
/// and waiting for a user lock.
pub fn waiting_on_user_lock(url: &str, prefix: &str) -> Vec<String> {
    my_query(
        url,
        &format!(
            "SELECT CAST(id AS CHAR) FROM information_schema.processlist \
             WHERE db = DATABASE() AND info LIKE '{prefix}%' AND state = 'User lock'"
        ),
    )
}

#[test]
fn a_second_run_waits_for_the_get_lock_and_times_out_naming_the_holder() {
    let db = my_db("my_lock");
    let url = db.url();
    let lock = format!("{}_hold", db.name());
    let proj = project(&[
        (
            "a.sql",
            rev("a", "", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;"),
        ),
        ("n2.sql", waiting_revision("n2", "a", &lock)),
    ]);
    let dir = proj.path();
    let held = hold_user_lock(url, &lock);
    let mut first = spawn(dir, url, &["upgrade", "head"]);
    wait_for("the first run to wait inside n2", || {
        waiting_on_user_lock(url, "INSERT INTO t1").len() == 1
    });
    let holder = waiting_on_user_lock(url, "INSERT INTO t1").remove(0);

    let second = mig(dir, url, &["upgrade", "head", "--lock-timeout", "1s"]);
    assert_eq!(second.code, 3, "{}", second.stderr);
    let expected = format!(
        "timed out after 1s waiting for the migration lock `mig:{}::alembic_version` \
         (GET_LOCK `mig_",
        db.name()
    );
    assert!(second.stderr.contains(&expected), "{}", second.stderr);
    assert!(
        second.stderr.contains(&format!("held by pid {holder} ")),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("user `root`"), "{}", second.stderr);

    drop(held);
    let status = first.wait().expect("the first run ends");
    assert!(
        status.success(),
        "{}",
        std::fs::read_to_string(dir.join("spawned.stderr")).unwrap_or_default()
    );
    assert_eq!(ok(dir, url, &["current"]), "n2 (head)\n");
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    // The lock went with the first run's session: a third run takes it at once.
    let third = mig(dir, url, &["upgrade", "head", "--lock-timeout", "1s"]);
    assert_eq!(third.code, 0, "{}", third.stderr);
}

/// SQLAlchemy's unix-socket form (`mysql+pymysql://user@/db?unix_socket=PATH`, no host)
/// and sqlx's (`socket=`) both reach the server.
#[test]
fn unix_socket_urls_connect() {
    let db = my_db("my_socket");
    let proj = chain();
    let dir = proj.path();
    let socket = crate::support::mariadb::MariaDb::get().socket();
    let pymysql = format!(
        "mysql+pymysql://root@/{}?unix_socket={}",
        db.name(),
        socket.display()
    );
    let up = mig(dir, &pymysql, &["upgrade", "a"]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    let native = format!(
        "mariadb://root@localhost/{}?socket={}",
        db.name(),
        socket.display()
    );
    assert_eq!(ok(dir, &native, &["current"]), "a\n");
}

/// A missing database is diagnosed in words, without the password; a failing statement
/// shows MySQL's error number.
#[test]
fn connection_and_statement_errors_name_the_problem() {
    let db = my_db("my_errors");
    let proj = chain();
    let dir = proj.path();
    let port = crate::support::mariadb::MariaDb::get().port();
    let missing = format!("mysql://root:s3cret@127.0.0.1:{port}/{}_gone", db.name());
    let out = mig(dir, &missing, &["current"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "FAILED: cannot connect to `mysql://root:***@127.0.0.1:{port}/{}_gone`: \
             database `{}_gone` does not exist; the server said: Unknown database",
            db.name(),
            db.name()
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);

    std::fs::write(
        dir.join("versions/c.sql"),
        rev("c", "b", "", "INSERT INTO nope VALUES (1);", "SELECT 1;"),
    )
    .expect("write");
    let failed = mig(dir, db.url(), &["upgrade", "head"]);
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(&format!(
            "line 7, column 1: Table '{}.nope' doesn't exist (error 1146)\n",
            db.name()
        )),
        "{}",
        failed.stderr
    );
}

/// Eight `mig upgrade head` at once on one fresh database: the `GET_LOCK` serialises them,
/// each revision's body runs exactly once, and every run ends at the head.
#[test]
fn concurrent_runs_apply_each_revision_once() {
    let db = my_db("my_concurrent");
    let url = db.url();
    let proj = project(&[
        (
            "a.sql",
            rev(
                "a",
                "",
                "",
                "CREATE TABLE runs (rev varchar(8));\n\nINSERT INTO runs VALUES ('a');",
                "DROP TABLE runs;",
            ),
        ),
        (
            "b.sql",
            rev(
                "b",
                "a",
                "",
                "INSERT INTO runs VALUES ('b');",
                "DELETE FROM runs;",
            ),
        ),
        (
            "c.sql",
            rev(
                "c",
                "b",
                "",
                "INSERT INTO runs VALUES ('c');",
                "DELETE FROM runs;",
            ),
        ),
    ]);
    let dir = proj.path();
    let outs: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| mig(dir, url, &["upgrade", "head", "--lock-timeout", "60s"])))
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a run"))
            .collect()
    });
    for out in &outs {
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(
        my_query(url, "SELECT rev FROM runs ORDER BY rev"),
        ["a", "b", "c"]
    );
    assert_eq!(ok(dir, url, &["current"]), "c (head)\n");
    assert_eq!(
        my_query(url, "SELECT count(*) FROM mig_history WHERE success"),
        ["3"]
    );
}
