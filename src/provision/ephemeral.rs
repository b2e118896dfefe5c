//! A private, throwaway PostgreSQL server: `initdb` into a temp dir, `postgres` listening
//! only on a unix socket in that dir, trust authentication for its superuser `mig`, fsync
//! off. Run as an unprivileged account when mig runs as root. Stopped and removed on
//! [`EphemeralPostgres::stop`], on drop, and by a [`Watchdog`] if this process dies first.
//! Never listens on TCP, never touches any other server or directory.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::binaries::PgBinaries;
use super::database::{create_database_at, drop_database_at};
use super::user::{reachable_by_others, server_user, RunAs};
use super::watchdog::Watchdog;
use super::ProvisionError;
use crate::db::DbError;
use crate::url::{encode_component, DatabaseUrl};

/// The superuser `initdb` creates; connections as it need no password (trust, socket only).
pub const SUPERUSER: &str = "mig";

/// The port number in the socket's name (`.s.PGSQL.5432`); nothing listens on TCP.
const PORT: u16 = 5432;

/// How long the server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Environment variables that would redirect the server or its tools elsewhere.
const PG_ENV: [&str; 7] = [
    "PGDATA",
    "PGPORT",
    "PGHOST",
    "PGUSER",
    "PGDATABASE",
    "PGOPTIONS",
    "PGSSLMODE",
];

/// Options for [`EphemeralPostgres::start_with`].
#[derive(Debug, Clone, Default)]
pub struct EphemeralOptions {
    /// Directory of `initdb` and `postgres`; searched for when `None`.
    pub bindir: Option<PathBuf>,
}

/// A private PostgreSQL server; see the module documentation.
#[derive(Debug)]
pub struct EphemeralPostgres {
    root: PathBuf,
    data_dir: PathBuf,
    binaries: PgBinaries,
    run_as: Option<RunAs>,
    server: Option<Child>,
    watchdog: Option<Watchdog>,
}

impl EphemeralPostgres {
    /// Starts a server from the binaries found on this machine. Blocks until it accepts
    /// connections (typically one to three seconds, mostly `initdb`).
    pub fn start() -> Result<EphemeralPostgres, ProvisionError> {
        EphemeralPostgres::start_with(&EphemeralOptions::default())
    }

    /// Starts a server as [`EphemeralPostgres::start`] does, with `options`.
    pub fn start_with(options: &EphemeralOptions) -> Result<EphemeralPostgres, ProvisionError> {
        let binaries = PgBinaries::locate(options.bindir.as_deref())?;
        let run_as = server_user()?;
        let root = make_root(run_as.as_ref())?;
        let data_dir = root.join("data");
        let watchdog = match Watchdog::spawn(&data_dir, &root) {
            Ok(watchdog) => watchdog,
            Err(err) => {
                let _ = std::fs::remove_dir_all(&root);
                return Err(err);
            }
        };
        // From here on, Drop (or the watchdog) cleans up whatever fails.
        let mut server = EphemeralPostgres {
            root,
            data_dir,
            binaries,
            run_as,
            server: None,
            watchdog: Some(watchdog),
        };
        server.initdb()?;
        server.launch()?;
        server.wait_until_ready()?;
        tracing::debug!(socket = %server.socket_dir().display(), "ephemeral PostgreSQL ready");
        Ok(server)
    }

    /// The URL of `database` on this server: the socket directory, percent-encoded, as
    /// the host (`postgresql://mig@%2Ftmp%2Fmig-pg-Ab12:5432/db?sslmode=disable`), no
    /// password, TLS off.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@{}:{PORT}/{}?sslmode=disable",
            encode_component(&self.socket_dir().display().to_string()),
            encode_component(database),
        )
    }

    /// The directory holding the server's socket (and everything else it owns).
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> Option<u32> {
        self.server.as_ref().map(Child::id)
    }

    /// Creates the empty database `name`; returns its URL.
    pub async fn create_database(&self, name: &str) -> Result<String, ProvisionError> {
        create_database_at(&self.maintenance_url()?, name).await?;
        Ok(self.url(name))
    }

    /// Drops database `name`, disconnecting its sessions first.
    pub async fn drop_database(&self, name: &str) -> Result<(), ProvisionError> {
        drop_database_at(&self.maintenance_url()?, name).await
    }

    /// The URL of the `postgres` database, which creating and dropping others connect to.
    fn maintenance_url(&self) -> Result<DatabaseUrl, ProvisionError> {
        let text = self.url("postgres");
        DatabaseUrl::parse(&text).map_err(|err| {
            ProvisionError::Database(DbError::Url {
                url: text,
                reason: err.to_string(),
            })
        })
    }

    /// Stops the server (immediate shutdown) and removes its directory.
    pub fn stop(mut self) -> Result<(), ProvisionError> {
        self.shutdown()
    }

    fn initdb(&mut self) -> Result<(), ProvisionError> {
        let log_path = self.root.join("initdb.log");
        let log = create_log(&log_path)?;
        let mut command = self.command(&self.binaries.initdb());
        command
            .arg("--pgdata")
            .arg(&self.data_dir)
            .args(["--username", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
            .args(["--locale=C", "--no-sync"])
            .stdout(
                log.try_clone()
                    .map_err(|source| io_error("write", &log_path, source))?,
            )
            .stderr(log);
        let status = command.status().map_err(|source| ProvisionError::Spawn {
            program: self.binaries.initdb(),
            error: source,
        })?;
        if status.success() {
            Ok(())
        } else {
            Err(ProvisionError::Initdb {
                status: status.to_string(),
                log: log_tail(&log_path),
            })
        }
    }

    fn launch(&mut self) -> Result<(), ProvisionError> {
        let log_path = self.root.join("server.log");
        let log = create_log(&log_path)?;
        let mut command = self.command(&self.binaries.postgres());
        command
            .arg("-D")
            .arg(&self.data_dir)
            .arg("-k")
            .arg(&self.root)
            .arg("-p")
            .arg(PORT.to_string())
            .args(["-c", "listen_addresses="])
            .args(["-c", "unix_socket_permissions=0700"])
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .args(["-c", "max_connections=200"])
            .stdout(
                log.try_clone()
                    .map_err(|source| io_error("write", &log_path, source))?,
            )
            .stderr(log)
            // Own process group: a terminal's Ctrl-C goes to mig, which then stops us.
            .process_group(0);
        let child = command.spawn().map_err(|source| ProvisionError::Spawn {
            program: self.binaries.postgres(),
            error: source,
        })?;
        if let Some(watchdog) = self.watchdog.as_mut() {
            watchdog.watch_pid(child.id());
        }
        self.server = Some(child);
        Ok(())
    }

    /// Waits for `postmaster.pid` to report `ready`, as `pg_ctl start -w` does.
    fn wait_until_ready(&mut self) -> Result<(), ProvisionError> {
        let pid_file = self.data_dir.join("postmaster.pid");
        let started = Instant::now();
        loop {
            if let Some(child) = self.server.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    self.server = None;
                    return Err(ProvisionError::ServerExited {
                        status: status.to_string(),
                        log: log_tail(&self.root.join("server.log")),
                    });
                }
            }
            let ready = std::fs::read_to_string(&pid_file)
                .map(|text| text.lines().nth(7).is_some_and(|s| s.trim() == "ready"))
                .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(ProvisionError::ServerTimeout {
                    waited: START_TIMEOUT,
                    log: log_tail(&self.root.join("server.log")),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).stdin(Stdio::null());
        for name in PG_ENV {
            command.env_remove(name);
        }
        if let Some(user) = &self.run_as {
            command.uid(user.uid).gid(user.gid);
        }
        command
    }

    fn shutdown(&mut self) -> Result<(), ProvisionError> {
        if let Some(mut child) = self.server.take() {
            stop_postmaster(&mut child);
        }
        let removed = match std::fs::remove_dir_all(&self.root) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(io_error("remove", &self.root, source)),
        };
        if let Some(watchdog) = self.watchdog.take() {
            if removed.is_ok() {
                watchdog.release();
            }
            // Otherwise dropping the watchdog's pipe makes it retry the removal.
        }
        removed
    }
}

impl Drop for EphemeralPostgres {
    fn drop(&mut self) {
        if let Err(err) = self.shutdown() {
            tracing::warn!("{err}");
        }
    }
}

/// Immediate shutdown (SIGQUIT, as `pg_ctl stop -m immediate`): the postmaster stops its
/// backends and exits; SIGKILL after five seconds.
fn stop_postmaster(child: &mut Child) {
    let quit = Command::new("/bin/sh")
        .args(["-c", "kill -QUIT \"$1\"", "mig-stop"])
        .arg(child.id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    while quit && Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Creates the private directory; chowned to the server's account when running as root.
fn make_root(run_as: Option<&RunAs>) -> Result<PathBuf, ProvisionError> {
    let mut base = std::env::temp_dir();
    // The socket path must fit in 107 bytes, and the server's account must reach it.
    let too_long = base.as_os_str().len() > 60;
    if too_long || run_as.is_some() && !reachable_by_others(&base) {
        base = PathBuf::from("/tmp");
    }
    let root = tempfile::Builder::new()
        .prefix("mig-pg-")
        .tempdir_in(&base)
        .map_err(|source| io_error("create a directory in", &base, source))?
        .keep();
    if let Some(user) = run_as {
        if let Err(source) = std::os::unix::fs::chown(&root, Some(user.uid), Some(user.gid)) {
            let _ = std::fs::remove_dir_all(&root);
            return Err(io_error(
                &format!("hand over to user `{}`", user.name),
                &root,
                source,
            ));
        }
    }
    Ok(root)
}

fn create_log(path: &Path) -> Result<File, ProvisionError> {
    File::create(path).map_err(|source| io_error("create", path, source))
}

fn io_error(action: &str, path: &Path, source: std::io::Error) -> ProvisionError {
    ProvisionError::Io {
        action: action.to_string(),
        path: path.to_path_buf(),
        error: source,
    }
}

/// The last lines of a log, for error messages.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
