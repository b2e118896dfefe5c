//! Backups (SPEC section 16, the part `reset` needs and `mig backup`): a directory with
//! `manifest.json` (what, from where, when, by whom; per table its rows and a SHA-256
//! of its data) and the data (`pg_dump --format=directory` on PostgreSQL, `VACUUM INTO`
//! on SQLite). A backup counts only once it was read back and matched its manifest.
//! Restoring is not here yet.

mod digest;
mod manifest;
mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::config::{Config, ConfigError};
use crate::db::history::{operator, MIG_VERSION};
use crate::db::{read_state, Connection, DbError};
use crate::url::DatabaseUrl;

pub use manifest::{Manifest, TableEntry, FORMAT_VERSION};

/// What stops a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot write the backup `{}`: {message}", path.display())]
    Io { path: PathBuf, message: String },
    /// `pg_dump` / `pg_restore` missing or failing.
    #[error("{0}")]
    Tool(String),
    /// A configuration key the backup reads (`backup_dir`, `project`); boxed to keep
    /// the error small.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// Read back, the backup does not match its manifest.
    #[error("the backup in `{}` does not match its manifest: {problems}", path.display())]
    Mismatch { path: PathBuf, problems: String },
    #[error("backups of {0} databases are not supported yet")]
    Unsupported(&'static str),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl BackupError {
    pub fn exit_code(&self) -> i32 {
        match self {
            BackupError::Database(_) | BackupError::Mismatch { .. } | BackupError::Tool(_) => 3,
            _ => 2,
        }
    }
}

impl From<ConfigError> for BackupError {
    fn from(err: ConfigError) -> Self {
        BackupError::Config(Box::new(err))
    }
}

/// A verified backup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Backup {
    pub path: PathBuf,
    pub manifest: Manifest,
}

impl Backup {
    /// `Backup written to <path> (N tables, M rows), verified against its manifest.`
    pub fn text(&self) -> String {
        let rows: u64 = self.manifest.tables.iter().map(|t| t.rows).sum();
        format!(
            "Backup written to {} ({} tables, {rows} rows), verified against its manifest.\n",
            self.path.display(),
            self.manifest.tables.len()
        )
    }
}

/// `backups/<UTC time>_<database>/` under `[mig] backup_dir`.
pub fn default_path(config: &Config, database: &str) -> Result<PathBuf, ConfigError> {
    let safe: String = database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(config.backup_dir()?.join(format!(
        "{}_{safe}",
        Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    )))
}

/// Takes a backup of the connected database into `out` (created; must not exist or be
/// empty), then reads it back and checks it against the manifest.
pub async fn take(
    conn: &mut Connection,
    config: &Config,
    url: &DatabaseUrl,
    database: &str,
    out: &Path,
) -> Result<Backup, BackupError> {
    let io = |err: std::io::Error| BackupError::Io {
        path: out.to_path_buf(),
        message: err.to_string(),
    };
    if out
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(BackupError::Io {
            path: out.to_path_buf(),
            message: "the directory exists and is not empty".into(),
        });
    }
    std::fs::create_dir_all(out).map_err(io)?;
    let revisions = read_state(conn, &config.exec.version_table).await?.heads;
    let created_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (server_version, data_format, data_path, tables, major) = match conn {
        Connection::Postgres(pg) => {
            let (version, major) = postgres::server_version(pg).await?;
            let tables = postgres::dump(pg, url, out, major).await?;
            (
                version,
                "pg_dump-directory",
                PathBuf::from(postgres::DATA_DIR),
                tables,
                major,
            )
        }
        Connection::Sqlite(lite) => {
            let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                .persistent(false)
                .fetch_one(&mut *lite)
                .await
                .map_err(|err| crate::db::query_error("reading the SQLite version", &err))?;
            let tables = sqlite::digests(lite).await?;
            sqlite::vacuum_into(lite, out).await?;
            (
                version,
                "sqlite-vacuum-into",
                PathBuf::from(sqlite::DATA_FILE),
                tables,
                0,
            )
        }
        Connection::Mysql(_) => return Err(BackupError::Unsupported("MySQL")),
    };
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        project: config.project()?,
        database: database.to_string(),
        url: url.to_string(),
        dialect: conn.dialect().name().to_string(),
        server_version,
        revisions,
        created_at,
        operator: operator(),
        mig_version: MIG_VERSION.to_string(),
        data_format: data_format.to_string(),
        data_path,
        tables,
    };
    manifest.write(out)?;
    verify(out, major).await?;
    Ok(Backup {
        path: out.to_path_buf(),
        manifest,
    })
}

/// Reads the backup in `dir` back and compares every table with its manifest entry.
pub async fn verify(dir: &Path, server_major: u32) -> Result<Manifest, BackupError> {
    let manifest = Manifest::read(dir)?;
    let found: postgres::ReadBack = match manifest.data_format.as_str() {
        "pg_dump-directory" => postgres::read_back(dir, server_major)?,
        "sqlite-vacuum-into" => sqlite::read_back(dir)
            .await?
            .into_iter()
            .map(|t| ((String::new(), t.name), (t.rows, t.sha256)))
            .collect(),
        other => {
            return Err(BackupError::Mismatch {
                path: dir.to_path_buf(),
                problems: format!("unknown data format `{other}`"),
            })
        }
    };
    let mut problems = Vec::new();
    for table in &manifest.tables {
        let key = (table.schema.clone().unwrap_or_default(), table.name.clone());
        let label = match &table.schema {
            Some(schema) => format!("{schema}.{}", table.name),
            None => table.name.clone(),
        };
        match found.get(&key) {
            Some((rows, sha)) if *rows == table.rows && *sha == table.sha256 => {}
            Some((rows, _)) if *rows != table.rows => problems.push(format!(
                "`{label}` has {rows} rows in the backup, {} in the manifest",
                table.rows
            )),
            Some(_) => problems.push(format!("`{label}`: the data's SHA-256 differs")),
            None if table.rows == 0 => {}
            None => problems.push(format!("`{label}` is missing from the backup")),
        }
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(BackupError::Mismatch {
            path: dir.to_path_buf(),
            problems: problems.join("; "),
        })
    }
}
