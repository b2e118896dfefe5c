//! MySQL/MariaDB through the `mig` binary, against the tests' private MariaDB server:
//! upgrade, downgrade, current, stamp and status on a small history; the version table and
//! `mig_history` rows as Alembic (and mig on PostgreSQL) write them; the `GET_LOCK`
//! migration lock held by one run makes another wait and time out naming the holder.

use crate::support::mariadb::{
    hold_user_lock, my_db, my_query, waiting_on_user_lock, waiting_revision,
};
use crate::support::project::{project, revision, root_a};
use crate::support::{wait_for, Mig};

/// `a` -> `b` -> `c`, each creating one table.
fn chain() -> tempfile::TempDir {
    project(&[
        (
            "a.sql",
            revision("a", "", "CREATE TABLE t_a (id int);", "DROP TABLE t_a;"),
        ),
        (
            "b.sql",
            revision(
                "b",
                "a",
                "CREATE TABLE t_b (id int);\n\nINSERT INTO t_b VALUES (1);",
                "DROP TABLE t_b;",
            ),
        ),
        (
            "c.sql",
            revision("c", "b", "CREATE TABLE t_c (id int);", "DROP TABLE t_c;"),
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

    let mig = Mig::new(dir).url(url);
    assert_eq!(mig.with(["current"]).ok(), "");
    assert!(mig.with(["status"]).ok().ends_with("heads: c\n3 pending\n"));
    let up = mig.with(["upgrade", "b"]).run();
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert!(
        up.stderr.contains("Running upgrade a -> b, b"),
        "{}",
        up.stderr
    );
    assert_eq!(mig.with(["current"]).ok(), "b\n");
    assert_eq!(
        tables(url),
        ["alembic_version", "mig_history", "t_a", "t_b"]
    );
    assert_eq!(my_query(url, "SELECT count(*) FROM t_b"), ["1"]);
    let status = mig.with(["status"]).ok();
    assert!(
        status.starts_with("applied      a  versions/a.sql  applied 20"),
        "{status}"
    );
    assert!(status.contains(" UTC by deployer@ci1\n"), "{status}");
    assert!(
        status.ends_with("pending      c  versions/c.sql\nheads: c\n1 pending\n"),
        "{status}"
    );
    assert_eq!(mig.with(["status", "--exit-code"]).run().code, 1);

    mig.with(["upgrade", "head"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "c (head)\n");
    let again = mig.with(["upgrade", "head"]).run();
    assert!(
        again.stderr.contains("Already at head c; nothing to do."),
        "{}",
        again.stderr
    );
    assert!(mig
        .with(["status", "--exit-code"])
        .ok()
        .ends_with("heads: c\nup to date\n"));

    mig.with(["downgrade", "-1"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "b\n");
    assert!(!tables(url).contains(&"t_c".to_string()));
    mig.with(["downgrade", "base"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "");
    assert_eq!(tables(url), ["alembic_version", "mig_history"]);

    // Stamp writes the version table only.
    mig.with(["stamp", "c"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "c (head)\n");
    assert_eq!(tables(url), ["alembic_version", "mig_history"]);
    mig.with(["stamp", "base"]).ok();
    assert_eq!(my_query(url, "SELECT count(*) FROM alembic_version"), ["0"]);
}

#[test]
fn the_version_table_and_history_rows_are_as_alembic_and_mig_write_them() {
    let db = my_db("my_tables");
    let url = db.url();
    let proj = chain();
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "b"]).ok();
    mig.with(["downgrade", "a"]).ok();

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

#[test]
fn a_second_run_waits_for_the_get_lock_and_times_out_naming_the_holder() {
    let db = my_db("my_lock");
    let url = db.url();
    let lock = format!("{}_hold", db.name());
    let proj = project(&[root_a(), ("n2.sql", waiting_revision("n2", "a", &lock))]);
    let dir = proj.path();
    let held = hold_user_lock(url, &lock);
    let mig = Mig::new(dir).url(url);
    let first = mig.with(["upgrade", "head"]).spawn();
    wait_for("the first run to wait inside n2", || {
        waiting_on_user_lock(url, "INSERT INTO t1").len() == 1
    });
    let holder = waiting_on_user_lock(url, "INSERT INTO t1").remove(0);

    let second = mig.with(["upgrade", "head", "--lock-timeout", "1s"]).run();
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
    first.wait().success();
    assert_eq!(mig.with(["current"]).ok(), "n2 (head)\n");
    assert_eq!(my_query(url, "SELECT count(*) FROM t1"), ["1"]);
    // The lock went with the first run's session: a third run takes it at once.
    let third = mig.with(["upgrade", "head", "--lock-timeout", "1s"]).run();
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
    let up = Mig::new(dir).url(&pymysql).args(["upgrade", "a"]).run();
    assert_eq!(up.code, 0, "{}", up.stderr);
    let native = format!(
        "mariadb://root@localhost/{}?socket={}",
        db.name(),
        socket.display()
    );
    assert_eq!(Mig::new(dir).url(&native).args(["current"]).ok(), "a\n");
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
    let out = Mig::new(dir).url(&missing).args(["current"]).run();
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
        revision("c", "b", "INSERT INTO nope VALUES (1);", "SELECT 1;"),
    )
    .expect("write");
    let failed = Mig::new(dir).url(db.url()).args(["upgrade", "head"]).run();
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
            revision(
                "a",
                "",
                "CREATE TABLE runs (rev varchar(8));\n\nINSERT INTO runs VALUES ('a');",
                "DROP TABLE runs;",
            ),
        ),
        (
            "b.sql",
            revision(
                "b",
                "a",
                "INSERT INTO runs VALUES ('b');",
                "DELETE FROM runs;",
            ),
        ),
        (
            "c.sql",
            revision(
                "c",
                "b",
                "INSERT INTO runs VALUES ('c');",
                "DELETE FROM runs;",
            ),
        ),
    ]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(url);
    let outs: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| mig.with(["upgrade", "head", "--lock-timeout", "60s"]).run()))
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
    assert_eq!(mig.with(["current"]).ok(), "c (head)\n");
    assert_eq!(
        my_query(url, "SELECT count(*) FROM mig_history WHERE success"),
        ["3"]
    );
}
