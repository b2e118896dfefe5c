//! A real PgBouncer (Debian's `pgbouncer`) in front of the tests' private PostgreSQL, one
//! per pool mode, started on first use on a free loopback port with trust
//! authentication for the server's superuser and a wildcard database entry (so every
//! test database is reachable through it). Run as the server's unprivileged account when
//! the tests run as root (PgBouncer refuses root). The server's watchdog stops it and
//! removes its directory when the test binary exits, however it exits.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use mig::provision::user::server_user;
use mig::provision::watchdog::Watchdog;

use super::{free_port, wait_listening};

/// PgBouncer's `pool_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    Transaction,
    Session,
}

/// A running PgBouncer.
pub struct PgBouncer {
    port: u16,
    dir: PathBuf,
    // Kept for the life of the test binary: the watchdog stops the process when the
    // binary exits and the pipe closes.
    _child: Child,
    _watchdog: Watchdog,
}

/// Servers at least this many connections wide per database keep 8 concurrent runs and
/// their lock polling moving; small enough that another client gets mig's server
/// connection back (PgBouncer reuses server connections last-in, first-out).
const POOL_SIZE: u32 = 4;

impl PgBouncer {
    /// The shared PgBouncer in `mode` (started on first call).
    pub fn get(mode: PoolMode) -> &'static PgBouncer {
        static TRANSACTION: OnceLock<Result<PgBouncer, String>> = OnceLock::new();
        static SESSION: OnceLock<Result<PgBouncer, String>> = OnceLock::new();
        let cell = match mode {
            PoolMode::Transaction => &TRANSACTION,
            PoolMode::Session => &SESSION,
        };
        match cell.get_or_init(|| PgBouncer::start(mode)) {
            Ok(bouncer) => bouncer,
            Err(err) => panic!("cannot start PgBouncer ({mode:?}) for the tests: {err}"),
        }
    }

    /// The URL of `database` through this PgBouncer.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/{database}?sslmode=disable",
            mig::provision::SUPERUSER,
            self.port
        )
    }

    /// Its log file (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }

    fn start(mode: PoolMode) -> Result<PgBouncer, String> {
        let server = super::ephemeral();
        let binary = [
            "/usr/sbin/pgbouncer",
            "/usr/bin/pgbouncer",
            "/usr/local/bin/pgbouncer",
        ]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .ok_or("no `pgbouncer` binary (apt-get install pgbouncer)")?;
        let pg_port = pg_port(server.socket_dir())?;
        let dir = tempfile::Builder::new()
            .prefix("mig-pgbouncer-")
            .tempdir()
            .map_err(|e| e.to_string())?
            .keep();
        let port = free_port()?;
        let pool_mode = match mode {
            PoolMode::Transaction => "transaction",
            PoolMode::Session => "session",
        };
        std::fs::write(
            dir.join("users.txt"),
            format!("\"{}\" \"\"\n", mig::provision::SUPERUSER),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            dir.join("pgbouncer.ini"),
            format!(
                "[databases]\n* = host={socket} port={pg_port} user={user}\n\n\
                 [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n\
                 unix_socket_dir =\nauth_type = trust\nauth_file = {dir}/users.txt\n\
                 pool_mode = {pool_mode}\nmax_client_conn = 500\n\
                 default_pool_size = {POOL_SIZE}\nlogfile = {dir}/pgbouncer.log\n\
                 pidfile = {dir}/pgbouncer.pid\n",
                socket = server.socket_dir().display(),
                user = mig::provision::SUPERUSER,
                dir = dir.display(),
            ),
        )
        .map_err(|e| e.to_string())?;
        let run_as = server_user().map_err(|e| e.to_string())?;
        if let Some(user) = &run_as {
            for path in [
                dir.clone(),
                dir.join("users.txt"),
                dir.join("pgbouncer.ini"),
            ] {
                std::os::unix::fs::chown(&path, Some(user.uid), Some(user.gid))
                    .map_err(|e| format!("chown {}: {e}", path.display()))?;
            }
        }
        let mut watchdog = Watchdog::spawn(&dir, &dir).map_err(|e| e.to_string())?;
        let mut command = Command::new(&binary);
        command
            .arg(dir.join("pgbouncer.ini"))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(user) = &run_as {
            command.uid(user.uid).gid(user.gid);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        watchdog.watch_pid(child.id());
        let timeout = Duration::from_secs(20);
        wait_listening(&mut child, port, timeout, "pgbouncer", || log(&dir))?;
        Ok(PgBouncer {
            port,
            dir,
            _child: child,
            _watchdog: watchdog,
        })
    }
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default()
}

/// The private server's port, from its socket's name (`.s.PGSQL.<port>`).
fn pg_port(socket_dir: &Path) -> Result<u16, String> {
    std::fs::read_dir(socket_dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .find_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let port = name.strip_prefix(".s.PGSQL.")?;
            port.parse().ok()
        })
        .ok_or_else(|| format!("no server socket in {}", socket_dir.display()))
}
