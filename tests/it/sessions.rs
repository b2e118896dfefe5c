//! One connection per command: the server's own count of sessions established to the
//! test's database (`pg_stat_database.sessions`, PostgreSQL 14+) before and after each
//! command. The pooler probe is switched off (`pooler = none`) where what is counted is
//! the command's own work; with the probe on, the counter sees its second connection.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::project::{project, revision, root_a};
use crate::support::{block_on, connect_pg, pg_db, pg_query, Mig};

const SESSIONS: &str = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()";

/// Runs `mig args` with `[mig] pooler = pooler` and returns how many sessions it
/// established on the database at `url`. A backend counts its session when it ends, which
/// can be just after the client is gone, so the count is read on one open connection
/// (which is not counted while it polls) until it has not moved for most of a second.
fn sessions_of(dir: &Path, url: &str, pooler: &str, args: &[&str]) -> u64 {
    let before: i64 = pg_query(
        url,
        &SESSIONS.replace("sessions FROM", "sessions::text FROM"),
    )[0]
    .parse()
    .expect("a count");
    Mig::new(dir)
        .url(url)
        .env("MIG_POOLER", pooler)
        .args(args)
        .run()
        .success();
    let after = block_on(async {
        let mut conn = connect_pg(url).await.expect("connect");
        let (mut last, mut moved, started) = (-1_i64, Instant::now(), Instant::now());
        while moved.elapsed() < Duration::from_millis(800) && started.elapsed().as_secs() < 20 {
            // A fresh view of the statistics on each read.
            sqlx::query("SELECT pg_stat_clear_snapshot()")
                .persistent(false)
                .execute(&mut conn)
                .await
                .expect("clear");
            let now: i64 = sqlx::query_scalar(SESSIONS)
                .persistent(false)
                .fetch_one(&mut conn)
                .await
                .expect("sessions");
            if now != last {
                (last, moved) = (now, Instant::now());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        last
    });
    // The read of `before` is a session of its own.
    u64::try_from(after - before - 1).expect("a count")
}

#[test]
fn current_status_check_and_upgrade_each_open_one_session() {
    let db = pg_db("one_session");
    let url = db.url();
    let proj = project(&[
        root_a(),
        (
            "b.sql",
            revision("b", "a", "CREATE TABLE tb (id int);", "DROP TABLE tb;"),
        ),
    ]);
    let dir = proj.path();
    assert_eq!(sessions_of(dir, url, "none", &["upgrade", "a"]), 1);
    for args in [
        &["current"][..],
        &["status"],
        &["upgrade", "head"],
        &["check"],
    ] {
        assert_eq!(sessions_of(dir, url, "none", args), 1, "mig {args:?}");
    }
    // The counter sees a second connection: the pooler probe's.
    assert_eq!(sessions_of(dir, url, "auto", &["current"]), 2);
}
