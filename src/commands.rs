//! The commands: library functions behind each `mig` subcommand. They take resolved
//! inputs and return what to print; they never parse arguments or write to stdout
//! themselves (the CLI does both).

pub mod backup;
pub mod create;
pub mod guard;
pub mod inspect;
pub mod offline;
pub mod online;
pub mod reset;
pub mod roundtrip;
pub mod runbook;
pub mod seed;
pub mod snapshot;
pub mod status;

use std::path::PathBuf;

use crate::catalog::{self, CatalogError, Snapshot, SnapshotOptions};
use crate::config::{self, Config, ConfigError, LoadOptions};
use crate::db::{Connection, DbError};
use crate::engine::EngineError;
use crate::revision::directory::{load_revisions, LoadError};
use crate::revision::graph::{CommandError, GraphError, RevisionMap};
use crate::roundtrip::{RoundtripError, SnapshotError};
use crate::url::DatabaseUrl;

/// Everything that can stop a command: the one error type the CLI prints (as
/// `FAILED: <message>`) and turns into an exit code. Each variant's code is decided by
/// the library type it wraps ([`Error::exit_code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// Alembic's command-level messages (`Can't locate revision identified by 'x'`, ...).
    #[error(transparent)]
    Command(#[from] CommandError),
    /// Wrong use of the command line (Alembic's `Range revision not allowed`, ...).
    #[error("{0}")]
    Usage(String),
    /// A plan the executor refused before running anything.
    #[error("{0}")]
    Plan(String),
    #[error("cannot write `{}`: {message}", path.display())]
    Write { path: PathBuf, message: String },
    /// The online engine failed (connection, lock, SQL error, refused plan).
    #[error(transparent)]
    Engine(Box<EngineError>),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Naming(#[from] crate::naming::NamingError),
    /// Seed files or a seed run (SPEC section 14).
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
    /// `mig reset` (SPEC section 15).
    #[error(transparent)]
    Reset(#[from] crate::reset::ResetError),
    /// Backups (SPEC section 16).
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    /// `mig drift` and `mig baseline` could not compare (SPEC section 18).
    #[error(transparent)]
    Drift(Box<crate::drift::DriftError>),
    /// Protection and confirmation (SPEC section 15).
    #[error(transparent)]
    Guard(#[from] crate::guard::GuardError),
    /// A check ran and found problems (one per entry).
    #[error("{}", .0.join("\n"))]
    CheckFailed(Vec<String>),
    /// A run finished and printed or wrote its report; `message` is what failed in it
    /// (the first failed roundtrip check, the runbook's failures), `code` the report's
    /// exit code.
    #[error("{message}")]
    Failed { message: String, code: i32 },
    /// The roundtrip verifier could not run to its report.
    #[error(transparent)]
    Roundtrip(Box<RoundtripError>),
    #[error(transparent)]
    Snapshot(Box<SnapshotError>),
    /// `mig import` failed; built by `From<ImportError>` in [`crate::import`] (which
    /// sits above the commands), with the code `ImportError` decides.
    #[error("{message}")]
    Import { message: String, code: i32 },
    #[error("cannot read snapshot `{}`: {message}", path.display())]
    ReadSnapshot { path: PathBuf, message: String },
    #[error("cannot compare a {a} snapshot with a {b} one")]
    DialectMismatch { a: &'static str, b: &'static str },
    /// The process could not set itself up (the async runtime, the signal handlers):
    /// nothing the user asked for was wrong.
    #[error("cannot {what}: {message}")]
    Setup { what: &'static str, message: String },
}

impl From<crate::drift::DriftError> for Error {
    fn from(err: crate::drift::DriftError) -> Self {
        Error::Drift(Box::new(err))
    }
}

impl Error {
    /// SPEC section 5: 1 a check ran and failed; 3 database errors; 2 usage,
    /// configuration and revision-file errors; 128 + signal when interrupted. The
    /// wrapped library errors decide their own. A set-up failure of the process is not
    /// the user's input: 3, with the errors that stop a command from reaching or
    /// working on the database.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CheckFailed(_) => 1,
            Error::Failed { code, .. } => *code,
            Error::Engine(e) => e.exit_code(),
            Error::Roundtrip(e) => e.exit_code(),
            Error::Snapshot(e) => e.exit_code(),
            Error::Import { code, .. } => *code,
            Error::Seed(e) => e.exit_code(),
            Error::Guard(e) => e.exit_code(),
            Error::Backup(e) => e.exit_code(),
            Error::Reset(e) => e.exit_code(),
            Error::Drift(e) => e.exit_code(),
            Error::Catalog(CatalogError::Config(_)) => 2,
            Error::Database(_) | Error::Catalog(_) | Error::Setup { .. } => 3,
            Error::Config(_)
            | Error::Load(_)
            | Error::Graph(_)
            | Error::Command(_)
            | Error::Usage(_)
            | Error::Plan(_)
            | Error::Write { .. }
            | Error::Naming(_)
            | Error::ReadSnapshot { .. }
            | Error::DialectMismatch { .. } => 2,
        }
    }

    /// The line the CLI prints on stderr for this error (Alembic's form): the one place
    /// a failure is worded as `FAILED: <message>`.
    pub fn printed(&self) -> String {
        format!("FAILED: {self}")
    }

    /// A [`Error::Setup`] maker for `map_err`: `what` failed (`start the async runtime`).
    pub fn setup<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> Error {
        move |e| Error::Setup {
            what,
            message: e.to_string(),
        }
    }
}

// Boxed: the verifier's errors are large, and every command returns this type.
impl From<RoundtripError> for Error {
    fn from(err: RoundtripError) -> Self {
        Error::Roundtrip(Box::new(err))
    }
}

impl From<SnapshotError> for Error {
    fn from(err: SnapshotError) -> Self {
        Error::Snapshot(Box::new(err))
    }
}

/// Opens a connection to `url` with the project's `search_path` and lock timeout.
pub async fn connect(config: &Config, url: &DatabaseUrl) -> Result<Connection, Error> {
    Ok(crate::db::open(url, &config.exec).await?)
}

/// The catalog snapshot of the database at `url`, without mig's bookkeeping tables and
/// the configured `ignore` patterns.
pub async fn snapshot(config: &Config, url: &DatabaseUrl) -> Result<Snapshot, Error> {
    let opts = SnapshotOptions::from_config(config)?;
    let mut conn = connect(config, url).await?;
    let snap = match &mut conn {
        Connection::Postgres(c) => catalog::snapshot_postgres(c, &opts).await,
        Connection::Sqlite(c) => catalog::snapshot_sqlite(c, &opts).await,
        Connection::Mysql(_) => {
            return Err(Error::Usage(
                "catalog snapshots of MySQL databases are not supported yet".into(),
            ))
        }
    };
    let _ = conn.close().await;
    Ok(snap?)
}

/// Naming-convention violations in the configured database (none when no convention
/// is configured).
pub async fn verify_naming(project: &Project) -> Result<Vec<String>, Error> {
    let n = &project.config.naming()?;
    if n.pk.is_none() && n.fk.is_none() && n.uq.is_none() && n.ix.is_none() && n.ck.is_none() {
        return Ok(vec![]);
    }
    let url = project.config.database_url()?;
    let snap = snapshot(&project.config, &url).await?;
    Ok(crate::naming::check(&snap, n)?
        .iter()
        .map(|v| format!("naming convention: {v}"))
        .collect())
}

/// A loaded project: its configuration and its revision graph.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    pub map: RevisionMap,
}

impl Project {
    /// Reads the configuration and every revision file, and builds the graph.
    pub fn load(opts: &LoadOptions) -> Result<Project, Error> {
        let config = config::load(opts)?;
        Project::from_config(config)
    }

    pub fn from_config(config: Config) -> Result<Project, Error> {
        let revisions = load_revisions(
            &config.version_locations,
            config.recursive_version_locations,
        )?;
        let map = RevisionMap::new(revisions)?;
        Ok(Project { config, map })
    }
}
