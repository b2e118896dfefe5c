//! The test harness: one private PostgreSQL server per test-binary run, started lazily on
//! first use, and a fresh database per test on it (or on the server named by
//! `MIG_TEST_DATABASE_URL`). The server's watchdog stops and removes it when the binary
//! exits, however it exits. A missing server is a failure, never a skip.

#![allow(dead_code)]

pub mod mariadb;
pub mod pgbouncer;

use std::future::Future;
use std::sync::OnceLock;

use mig::provision::{unique_name, EphemeralPostgres, ScratchDatabase};
use mig::url::DatabaseUrl;

/// Points the tests at an existing server instead of the private one: a URL of any database
/// there whose role may create databases.
pub const DATABASE_URL_ENV: &str = "MIG_TEST_DATABASE_URL";

/// The shared private server (started on first call). Tests that must control the server
/// itself (its `pg_hba.conf`, its processes) use it even when `MIG_TEST_DATABASE_URL` is set.
pub fn ephemeral() -> &'static EphemeralPostgres {
    static SERVER: OnceLock<Result<EphemeralPostgres, String>> = OnceLock::new();
    match SERVER.get_or_init(|| EphemeralPostgres::start().map_err(|err| err.to_string())) {
        Ok(server) => server,
        Err(err) => panic!("cannot start the private PostgreSQL server for the tests: {err}"),
    }
}

/// A URL of an existing database on the server the tests run against.
pub fn server_url() -> String {
    match std::env::var(DATABASE_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => ephemeral().url("postgres"),
    }
}

/// A fresh, empty PostgreSQL database for test `test`, dropped when the value is dropped.
/// Use `.url()` for its URL.
pub fn pg_db(test: &str) -> PgDb {
    PgDb::create(&server_url(), test)
}

/// A fresh database on the private server itself (for tests that change server settings).
pub fn ephemeral_db(test: &str) -> PgDb {
    PgDb::create(&ephemeral().url("postgres"), test)
}

/// A test's own database ([`ScratchDatabase`], dropped with the value) and its URL as
/// text, password included, for `mig --url` and the test's own connections.
#[derive(Debug)]
pub struct PgDb {
    db: ScratchDatabase,
    url: String,
}

impl PgDb {
    fn create(server: &str, test: &str) -> PgDb {
        let server = DatabaseUrl::parse(server).expect("the test server's URL");
        let name = unique_name(&format!("t_{test}"));
        let db = block_on(ScratchDatabase::create_named(&server, &name))
            .unwrap_or_else(|err| panic!("cannot create test database `{name}`: {err}"));
        let url = with_password(db.url());
        PgDb { db, url }
    }

    /// The database's URL, password included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        self.db.name()
    }
}

/// `url` as it shows itself, with its password (if any) where it shows `***`.
fn with_password(url: &DatabaseUrl) -> String {
    let shown = url.to_string();
    match url.password() {
        Some(password) => {
            let encoded: String = password
                .expose()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            shown.replace("***", &encoded)
        }
        None => shown,
    }
}

/// Runs `future` to completion on a private runtime on its own thread, so sync tests and
/// sync helpers inside async tests can both use it.
pub fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime")
                    .block_on(future)
            })
            .join()
            .expect("the helper thread panicked")
    })
}

/// Whether process `pid` is alive (exists and is not a zombie), from `/proc`.
pub fn process_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `pid (comm) state ...`; comm may contain spaces, so read after the last `)`.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// Pids of live processes whose command line mentions `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != std::process::id())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|cmdline| String::from_utf8_lossy(&cmdline).contains(needle))
                .unwrap_or(false)
        })
        .filter(|pid| process_running(*pid))
        .collect()
}

/// The effective uid of process `pid`, from `/proc`.
pub fn process_uid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Connects to `url` (any form mig reads) as `mig` would, through [`mig::db::open`].
pub async fn open(
    url: &str,
    settings: &mig::config::ExecSettings,
) -> Result<mig::db::Connection, mig::db::DbError> {
    let url = mig::url::DatabaseUrl::parse(url).expect("a valid database URL");
    mig::db::open(&url, settings).await
}

/// A PostgreSQL session on `url` as mig opens one (`application_name = mig`).
pub async fn connect_pg(url: &str) -> Result<sqlx::PgConnection, mig::db::DbError> {
    let url = mig::url::DatabaseUrl::parse(url).expect("a valid database URL");
    mig::db::connect_postgres(&url, None).await
}
