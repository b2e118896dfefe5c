//! A private MariaDB server (Debian's `mariadb-server` package) for the MySQL/MariaDB tests,
//! one per test-binary run, started on first use: `mariadb-install-db` into a temp dir,
//! `mariadbd` on a unix socket in that dir and a free loopback port, without grant tables
//! (every local client is trusted; nothing else can reach it), durability off. Run as the
//! private PostgreSQL's unprivileged account when the tests run as root. Its pid file is
//! `postmaster.pid` so that the shared [`Watchdog`] stops it (SIGQUIT, which mariadbd
//! takes as a shutdown) and removes its directory when the test binary exits, however it
//! exits. A fresh database per test, queries and held sessions on it. A missing server is a
//! failure, never a skip.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use mig::provision::unique_name;
use mig::provision::user::server_user;
use mig::provision::watchdog::Watchdog;
use sqlx::Connection as _;

use super::project::three_statements;
use super::{block_on, free_port, wait_listening, HeldSession};

/// A running private MariaDB server.
pub struct MariaDb {
    port: u16,
    dir: PathBuf,
    // Kept for the life of the test binary: the watchdog stops the server when the binary
    // exits and the pipe closes.
    _child: Child,
    _watchdog: Watchdog,
}

/// How long `mariadb-install-db` plus the first start may take.
const START_TIMEOUT: Duration = Duration::from_secs(120);

impl MariaDb {
    /// The shared server (started on first call).
    pub fn get() -> &'static MariaDb {
        static SERVER: OnceLock<Result<MariaDb, String>> = OnceLock::new();
        match SERVER.get_or_init(MariaDb::start) {
            Ok(server) => server,
            Err(err) => panic!("cannot start the private MariaDB server for the tests: {err}"),
        }
    }

    /// The URL of `database` on this server (over loopback TCP, user `root`, no password).
    pub fn url(&self, database: &str) -> String {
        format!("mysql://root@127.0.0.1:{}/{database}", self.port)
    }

    /// Its port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its unix socket.
    pub fn socket(&self) -> PathBuf {
        self.dir.join("mysqld.sock")
    }

    /// The end of its error log (for failure messages).
    pub fn log(&self) -> String {
        log_tail(&self.dir)
    }

    fn start() -> Result<MariaDb, String> {
        let server = find(&[
            "/usr/sbin/mariadbd",
            "/usr/bin/mariadbd",
            "/usr/sbin/mysqld",
        ])
        .ok_or("no `mariadbd` binary (apt-get install mariadb-server)")?;
        let install = find(&["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"])
            .ok_or("no `mariadb-install-db` (apt-get install mariadb-server)")?;
        let run_as = server_user().map_err(|e| e.to_string())?;
        // Short, reachable by the server's account (the socket path must fit 107 bytes).
        let dir = tempfile::Builder::new()
            .prefix("mig-my-")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?
            .keep();
        if let Some(user) = &run_as {
            std::os::unix::fs::chown(&dir, Some(user.uid), Some(user.gid))
                .map_err(|e| format!("chown {}: {e}", dir.display()))?;
        }
        let mut watchdog = Watchdog::spawn(&dir, &dir).map_err(|e| e.to_string())?;
        let data = dir.join("data");
        let mut init = Command::new(&install);
        init.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args(["--skip-test-db", "--skip-name-resolve"])
            .args(["--auth-root-authentication-method=normal"])
            .current_dir(&dir)
            .stdin(Stdio::null());
        let init = run_as_user(init, run_as.as_ref())
            .output()
            .map_err(|e| format!("{}: {e}", install.display()))?;
        if !init.status.success() {
            return Err(format!(
                "{} failed ({}): {}{}",
                install.display(),
                init.status,
                String::from_utf8_lossy(&init.stdout),
                String::from_utf8_lossy(&init.stderr)
            ));
        }
        let port = free_port()?;
        let mut command = Command::new(&server);
        command
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.join("mysqld.sock").display()))
            .arg(format!(
                "--pid-file={}",
                dir.join("postmaster.pid").display()
            ))
            .arg(format!("--log-error={}", dir.join("server.log").display()))
            .arg(format!("--port={port}"))
            .args(["--bind-address=127.0.0.1", "--skip-grant-tables"])
            .args(["--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0"])
            .args(["--max-connections=300", "--character-set-server=utf8mb4"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Own process group: a terminal's Ctrl-C goes to the tests, the watchdog stops us.
            .process_group(0);
        let mut child = run_as_user(command, run_as.as_ref())
            .spawn()
            .map_err(|e| format!("{}: {e}", server.display()))?;
        watchdog.watch_pid(child.id());
        wait_listening(&mut child, port, START_TIMEOUT, "mariadbd", || {
            log_tail(&dir)
        })?;
        Ok(MariaDb {
            port,
            dir,
            _child: child,
            _watchdog: watchdog,
        })
    }
}

/// A fresh, empty database on the private MariaDB server, dropped when the value is dropped.
pub struct MyDb {
    name: String,
    url: String,
}

impl MyDb {
    /// Its URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for MyDb {
    fn drop(&mut self) {
        let server = MariaDb::get().url("mysql");
        let drop_sql = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        let _ = block_on(async move { exec_at(&server, &drop_sql).await });
    }
}

/// A fresh, empty MariaDB database for test `test`.
pub fn my_db(test: &str) -> MyDb {
    let server = MariaDb::get();
    let name = unique_name(&format!("t_{test}"));
    let create = format!("CREATE DATABASE `{name}`");
    block_on(exec_at(&server.url("mysql"), &create))
        .unwrap_or_else(|err| panic!("cannot create test database `{name}`: {err}"));
    MyDb {
        url: server.url(&name),
        name,
    }
}

/// The rows of a one-column query on `url`, as text (NULL as the empty string).
pub fn my_query(url: &str, sql: &str) -> Vec<String> {
    let (url, sql) = (url.to_string(), sql.to_string());
    block_on(async move {
        let mut conn = sqlx::MySqlConnection::connect(&url)
            .await
            .expect("connect to MariaDB");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter()
            .map(|row| {
                use sqlx::Row;
                row.try_get::<Option<String>, _>(0)
                    .or_else(|_| {
                        row.try_get::<Option<i64>, _>(0)
                            .map(|v| v.map(|v| v.to_string()))
                    })
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
                    .unwrap_or_default()
            })
            .collect()
    })
}

/// Runs `sql` (several statements allowed) on `url`.
pub fn my_exec(url: &str, sql: &str) {
    let (url, text) = (url.to_string(), sql.to_string());
    block_on(async move { exec_at(&url, &text).await }).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Ends session `id` (`KILL`), unless it has ended already.
pub fn my_kill(url: &str, id: &str) {
    let (url, sql) = (url.to_string(), format!("KILL {id}"));
    match block_on(async move { exec_at(&url, &sql).await }) {
        Ok(()) => {}
        Err(err) if err.to_string().contains("Unknown thread id") => {}
        Err(err) => panic!("KILL {id}: {err}"),
    }
}

/// Runs `sql` on a session of its own (`LOCK TABLES t WRITE`); returns once it ran. What
/// it took is held until the value is dropped.
pub fn hold_session(url: &str, sql: &str) -> HeldSession {
    let (url, sql) = (url.to_string(), sql.to_string());
    super::hold_session(async move {
        let mut conn = sqlx::MySqlConnection::connect(&url).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn
    })
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

/// A revision whose second statement waits for user lock `name`, held by the test.
pub fn waiting_revision(id: &str, down: &str, name: &str) -> String {
    let wait = format!("SELECT GET_LOCK('{name}', 600) AS got");
    let second = format!("INSERT INTO t1 SELECT 1 FROM ({wait}) AS waited;");
    three_statements(id, down, "", &second)
}

async fn exec_at(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::MySqlConnection::connect(url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

fn run_as_user(mut command: Command, run_as: Option<&mig::provision::user::RunAs>) -> Command {
    if let Some(user) = run_as {
        command.uid(user.uid).gid(user.gid);
    }
    command
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

fn log_tail(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
