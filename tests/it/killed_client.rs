//! A `mig` killed with SIGKILL (no cancel request, no rollback from the client) does not
//! leave its server session running the statement: mig sets
//! `client_connection_check_interval` on PostgreSQL 14+, so the server notices the dead
//! client within seconds (issue 9 item 3, SPEC section 13).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::project::{project_with_ini, revision};
use crate::support::{block_on, pg_db, Mig, Spawned};

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = crate::support::connect_pg(url).await.expect("connect");
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A project whose one revision, `r1`, runs `upgrade` (a long sleep in it).
fn long_project(upgrade: &str, downgrade: &str) -> tempfile::TempDir {
    let text = revision("r1", "", upgrade, downgrade);
    project_with_ini(
        "[alembic]\nscript_location = %(here)s\n",
        &[("r1_long.sql", text)],
    )
}

/// `mig --url URL upgrade head` in `dir`, started.
fn upgrade_head(dir: &Path, url: &str) -> Spawned {
    Mig::new(dir).url(url).args(["upgrade", "head"]).spawn()
}

#[test]
fn a_sigkilled_mig_leaves_no_server_session_behind() {
    let db = pg_db("killed_client");
    let url = db.url().to_string();
    let tmp = long_project("SELECT pg_sleep(600);", "SELECT 1;");
    let mut child = upgrade_head(tmp.path(), &url);

    let sessions = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig' \
                    AND datname = current_database() AND pid <> pg_backend_pid()";
    let sleeping = format!("{sessions} AND state = 'active' AND query LIKE '%pg_sleep(600)%'");
    let deadline = Instant::now() + Duration::from_secs(60);
    while block_on(count(&url, &sleeping)) == 0 {
        assert!(Instant::now() < deadline, "mig never reached pg_sleep");
        assert!(
            child.child().try_wait().unwrap().is_none(),
            "mig ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.child().kill().expect("SIGKILL");
    child.wait();

    // Bounded poll: without the check the session would sleep on for ten minutes.
    let deadline = Instant::now() + Duration::from_secs(10);
    while block_on(count(&url, sessions)) > 0 {
        assert!(
            Instant::now() < deadline,
            "the killed mig's server session is still there after 10 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server ends mig's session mid-revision (`pg_terminate_backend`): the statement
/// fails, and what follows (rollback, recording the failure) fails on a closed
/// connection, a driver error rather than a server one. Every line mig prints names no
/// internal source location of the driver (`(sqlx_postgres::...:95)`), issue 9 item 15.
#[test]
fn a_terminated_session_is_reported_without_driver_source_locations() {
    let db = pg_db("terminated_session");
    let url = db.url().to_string();
    let tmp = long_project(
        "CREATE TABLE t (id int);\nSELECT pg_sleep(601);",
        "DROP TABLE t;",
    );
    let child = upgrade_head(tmp.path(), &url);

    let sleeping = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig' \
                    AND datname = current_database() AND pid <> pg_backend_pid() \
                    AND state = 'active' AND query LIKE '%pg_sleep(601)%'";
    let deadline = Instant::now() + Duration::from_secs(60);
    while block_on(count(&url, sleeping)) == 0 {
        assert!(Instant::now() < deadline, "mig never reached pg_sleep");
        std::thread::sleep(Duration::from_millis(20));
    }
    let terminate = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                     WHERE application_name = 'mig' AND datname = current_database() \
                     AND pid <> pg_backend_pid()";
    assert!(block_on(count(&url, terminate)) >= 1, "no session to end");
    let out = child.wait();
    let (stdout, stderr) = (&out.stdout, &out.stderr);
    assert_eq!(out.code, 3, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains("FAILED:"),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for text in [stdout, stderr] {
        assert!(
            !text.contains("(sqlx_") && !text.contains("sqlx_postgres"),
            "a driver source location reached the user:\n{text}"
        );
    }
}
