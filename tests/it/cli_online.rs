//! The `mig` binary against real databases: the demo project on PostgreSQL, Alembic
//! interoperability in both directions, concurrent processes, checks and exit codes.

use crate::compat::alembic::alembic;
use crate::compat::project::{graphs, write_pair, Rev};
use crate::support::{block_on, pg_db, pg_query, repo, Mig};

/// The harness URL (`postgresql://mig@%2Ftmp%2Fdir:5432/db?...`) in the form both
/// SQLAlchemy and mig read: a unix-socket directory goes into `?host=`.
pub fn portable_url(url: &str) -> String {
    let Some((scheme_user, rest)) = url.split_once('@') else {
        return url.to_string();
    };
    if !rest.starts_with("%2F") {
        return url.to_string();
    }
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "5432"));
    let host = host.replace("%2F", "/");
    let (db, _query) = path.split_once('?').unwrap_or((path, ""));
    format!("{scheme_user}@/{db}?host={host}&port={port}")
}

/// A copy of the demo project with one more revision that records the `search_path`
/// a revision body sees.
fn demo_with_probe() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("alembic.ini"), tmp.path().join("alembic.ini")).expect("ini");
    std::fs::create_dir(tmp.path().join("versions")).expect("mkdir");
    for entry in std::fs::read_dir(repo().join("versions")).expect("versions") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            tmp.path().join("versions").join(path.file_name().unwrap()),
        )
        .expect("copy");
    }
    std::fs::write(
        tmp.path().join("versions/251019_probe.sql"),
        "-- probe search_path\n--\n-- Revision ID: 251019_probe\n-- Revises: 251018_schema_v1_inbox\n\n\
         -- migrate:upgrade\nCREATE TABLE search_path_seen AS SELECT current_setting('search_path') AS sp;\n\n\
         -- migrate:downgrade\nDROP TABLE search_path_seen;\n",
    )
    .expect("probe");
    tmp
}

#[test]
fn demo_project_upgrades_into_zero_admin() {
    let db = pg_db("demo_online");
    let url = db.url().to_string();
    let proj = demo_with_probe();
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    let where_ = pg_query(
        &url,
        "SELECT table_schema::text FROM information_schema.tables WHERE table_name = 'alembic_version'",
    );
    assert_eq!(
        where_,
        ["zero_admin"],
        "version table must be in zero_admin only"
    );
    // The probe table lands in zero_admin (first in search_path) and saw the path.
    let seen = pg_query(&url, "SELECT sp FROM zero_admin.search_path_seen");
    assert_eq!(seen, ["zero_admin, public"]);
    assert_eq!(mig.with(["current"]).ok(), "251019_probe (head)\n");
    mig.with(["downgrade", "-1"]).ok();
    mig.with(["downgrade", "-1"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "251018_initial_baseline\n");
    let tables = pg_query(
        &url,
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'zero_admin'",
    );
    assert_eq!(
        tables,
        ["alembic_version,mig_history"],
        "only bookkeeping is left after downgrading the inbox"
    );
    mig.with(["upgrade", "head"]).ok();
    assert_eq!(mig.with(["current"]).ok(), "251019_probe (head)\n");
    assert!(mig
        .with(["history", "-i"])
        .ok()
        .contains("(head) (current)"));
    // At the heads, unchanged files, conventions hold.
    mig.with(["check"]).ok();
}

#[test]
fn alembic_and_mig_continue_each_others_databases() {
    for opts in [
        &[][..],
        &[
            ("version_table", "my_ver"),
            ("version_table_schema", "myschema"),
        ][..],
    ] {
        let db = pg_db("interop");
        let url = portable_url(db.url());
        if opts.iter().any(|(k, _)| *k == "version_table_schema") {
            // Alembic does not create the schema (alembic#659); give it one.
            pg_query(db.url(), "CREATE SCHEMA myschema");
        }
        let pair = write_pair(&graphs::linear(), &url, opts);
        // Alembic first, mig continues.
        let a = alembic(&pair.alembic_dir, &["upgrade", "2b3c4d5e6f70"]);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        let mig = Mig::new(&pair.mig_dir);
        assert_eq!(mig.with(["current"]).ok(), "2b3c4d5e6f70\n");
        mig.with(["upgrade", "3c4d99999999"]).ok();
        // mig's database, Alembic continues and agrees on where it is.
        let a = alembic(&pair.alembic_dir, &["current"]);
        assert_eq!(String::from_utf8_lossy(&a.stdout), "3c4d99999999\n");
        let a = alembic(&pair.alembic_dir, &["upgrade", "head"]);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert_eq!(mig.with(["current"]).ok(), "4e5f60718293 (head)\n");
        // Every revision body ran once, whoever ran it.
        let tables = pg_query(
            db.url(),
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 't\\_%'",
        );
        assert_eq!(
            tables,
            ["t_1a2b3c4d5e6f,t_2b3c4d5e6f70,t_3c4d5e6f7081,t_3c4d99999999,t_4e5f60718293"]
        );
        mig.with(["downgrade", "base"]).ok();
        assert_eq!(
            String::from_utf8_lossy(&alembic(&pair.alembic_dir, &["current"]).stdout),
            ""
        );
    }
}

#[test]
fn eight_processes_at_once_apply_each_revision_once() {
    let db = pg_db("eight");
    let url = db.url().to_string();
    pg_query(&url, "CREATE TABLE side_effects (rev text)");
    let revs: Vec<Rev> = (0..5)
        .map(|i| {
            let id = format!("r{i}");
            let down: Vec<String> = if i == 0 {
                vec![]
            } else {
                vec![format!("r{}", i - 1)]
            };
            let down_ref: Vec<&str> = down.iter().map(String::as_str).collect();
            Rev::new(&id, &down_ref).sql(
                &[
                    &format!("INSERT INTO side_effects VALUES ('{id}')"),
                    "SELECT pg_sleep(0.05)",
                ],
                &[&format!("DELETE FROM side_effects WHERE rev = '{id}'")],
            )
        })
        .collect();
    let pair = write_pair(&revs, &portable_url(&url), &[]);
    let children: Vec<_> = (0..8)
        .map(|_| Mig::new(&pair.mig_dir).args(["upgrade", "head"]).spawn())
        .collect();
    for child in children {
        child.wait().success();
    }
    let counts = pg_query(
        &url,
        "SELECT string_agg(rev || '=' || n, ',' ORDER BY rev) FROM \
         (SELECT rev, count(*)::text AS n FROM side_effects GROUP BY rev) c",
    );
    assert_eq!(counts, ["r0=1,r1=1,r2=1,r3=1,r4=1"]);
    assert_eq!(
        pg_query(&url, "SELECT version_num FROM alembic_version"),
        ["r4"]
    );
}

#[test]
fn check_drift_strict_and_accept() {
    let db = pg_db("check");
    let url = db.url().to_string();
    let pair = write_pair(&graphs::linear(), &portable_url(&url), &[]);
    let dir = &pair.mig_dir;
    let mig = Mig::new(dir);
    let out = mig.with(["check"]).run();
    assert_eq!(out.code, 1, "not at heads yet");
    assert!(out.stderr.contains("the heads are [4e5f60718293]"));
    let out = mig.with(["current", "--check-heads"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("Database is not on all head revisions"));
    mig.with(["upgrade", "3c4d99999999"]).ok();
    // Edit an applied revision: drift.
    let file = dir.join("versions/2b3c4d5e6f70_rev.sql");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("(id INTEGER PRIMARY KEY)", "(id BIGINT PRIMARY KEY)"),
    )
    .expect("write");
    let out = mig.with(["upgrade", "head", "--strict"]).run();
    assert_eq!(out.code, 1);
    let err = out.stderr.as_str();
    assert!(
        err.contains("2b3c4d5e6f70") && err.contains("changed since it was applied"),
        "{err}"
    );
    assert_eq!(
        mig.with(["current"]).ok(),
        "3c4d99999999\n",
        "--strict ran nothing"
    );
    // Without --strict it warns and upgrades.
    let out = mig.with(["upgrade", "head"]).run();
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("WARN  [mig]"));
    assert_eq!(mig.with(["check"]).run().code, 1);
    mig.with([
        "accept",
        "2b3c4d5e6f70",
        "--reason",
        "widened the id on purpose",
    ])
    .ok();
    mig.with(["check"]).ok();
}

/// `upgrade --strict` judges drift on its own session, under the migration lock: what
/// the lock's holder changes before releasing it is what the check sees (a check on a
/// second connection before the lock saw the history as it was and upgraded).
#[test]
fn upgrade_checks_drift_under_its_lock() {
    use std::time::Duration;

    let db = pg_db("drift_lock");
    let url = db.url().to_string();
    let pair = write_pair(&graphs::linear(), &portable_url(&url), &[]);
    let dir = &pair.mig_dir;
    Mig::new(dir).args(["upgrade", "3c4d99999999"]).ok();
    let child = block_on(async {
        let parsed = mig::url::DatabaseUrl::parse(&url).expect("url");
        let mut holder = mig::db::open(&parsed, &mig::config::ExecSettings::default())
            .await
            .expect("connect");
        let lock = mig::db::MigrationLock::acquire(
            &mut holder,
            None,
            "alembic_version",
            Duration::from_secs(1),
        )
        .await
        .expect("lock");
        let mut child = Mig::new(dir).args(["upgrade", "head", "--strict"]).spawn();
        let mig::db::Connection::Postgres(pg) = &mut holder else {
            panic!("expected PostgreSQL");
        };
        let holder_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *pg)
            .await
            .expect("pid");
        // mig polls for the lock with `pg_try_advisory_lock` (as the holder did).
        let waiting = format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'mig' \
             AND datname = current_database() AND pid NOT IN (pg_backend_pid(), {holder_pid}) \
             AND query LIKE '%pg_try_advisory_lock%'"
        );
        while pg_query(&url, &waiting) != ["1"] {
            if let Some(status) = child.child().try_wait().expect("try_wait") {
                panic!(
                    "mig ended ({status}) before waiting for the lock:\n{}",
                    child.wait().stderr
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // While mig waits: the recorded checksum of an applied revision changes.
        let mig::db::Connection::Postgres(pg) = &mut holder else {
            panic!("expected PostgreSQL");
        };
        sqlx::raw_sql(
            "UPDATE mig_history SET checksum = repeat('0', 64) WHERE revision = '2b3c4d5e6f70'",
        )
        .execute(&mut *pg)
        .await
        .expect("update");
        lock.release(&mut holder).await.expect("release");
        child
    });
    let out = child.wait();
    let err = &out.stderr;
    assert_eq!(out.code, 1, "{err}");
    assert!(
        err.contains("2b3c4d5e6f70") && err.contains("changed since it was applied"),
        "{err}"
    );
    assert_eq!(
        Mig::new(dir).args(["current"]).ok(),
        "3c4d99999999\n",
        "--strict ran nothing"
    );
}

#[test]
fn database_errors_exit_3_without_the_password() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pair = write_pair(
        &graphs::linear(),
        "postgresql://app:s3cr3t-pw@127.0.0.1:1/app",
        &[],
    );
    for args in [
        &["current"][..],
        &["upgrade", "head"],
        &["current", "--verbose"],
        &["check"],
    ] {
        let out = Mig::new(&pair.mig_dir).args(args).run();
        assert_eq!(out.code, 3, "{args:?}");
        let all = format!("{}{}", out.stdout.as_str(), out.stderr.as_str());
        assert!(!all.contains("s3cr3t-pw"), "password leaked: {all}");
        assert!(all.contains("***"), "{all}");
    }
    drop(tmp);
}

#[test]
fn ensure_version_online_and_offline() {
    let db = pg_db("ensure");
    let url = db.url().to_string();
    let pair = write_pair(
        &graphs::linear(),
        &portable_url(&url),
        &[("version_table_schema", "vs")],
    );
    let mig = Mig::new(&pair.mig_dir);
    mig.with(["ensure-version"]).ok();
    mig.with(["ensure-version"]).ok();
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM vs.alembic_version"),
        ["0"]
    );
    let sql = mig.with(["ensure-version", "--sql"]).ok();
    assert!(
        sql.starts_with(
            "CREATE SCHEMA IF NOT EXISTS vs;\n\nBEGIN;\n\nCREATE TABLE vs.alembic_version"
        ),
        "{sql}"
    );
}
