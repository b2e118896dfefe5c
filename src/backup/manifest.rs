//! `manifest.json` of a backup directory (SPEC section 16): what was backed up, from
//! where, when, by whom, and per table its row count and data digest. Serde only.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BackupError;

/// The manifest's format version.
pub const FORMAT_VERSION: u32 = 1;

/// One table's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    /// `None` on SQLite.
    pub schema: Option<String>,
    pub name: String,
    pub rows: u64,
    /// Hex SHA-256 of the sorted row lines (see the digest module).
    pub sha256: String,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub project: Option<String>,
    pub database: String,
    /// The database URL with its password masked.
    pub url: String,
    pub dialect: String,
    pub server_version: String,
    /// The version table's rows when the backup was taken.
    pub revisions: Vec<String>,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub operator: String,
    pub mig_version: String,
    /// `pg_dump-directory` (in `data/`) or `sqlite-vacuum-into` (`database.sqlite`).
    pub data_format: String,
    /// Relative to the backup directory.
    pub data_path: PathBuf,
    pub tables: Vec<TableEntry>,
}

impl Manifest {
    pub fn write(&self, dir: &Path) -> Result<(), BackupError> {
        let path = dir.join("manifest.json");
        let text = crate::json::pretty(self);
        std::fs::write(&path, text).map_err(|err| BackupError::Io {
            path,
            message: err.to_string(),
        })
    }

    pub fn read(dir: &Path) -> Result<Manifest, BackupError> {
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|err| BackupError::Io {
            path: path.clone(),
            message: err.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|err| BackupError::Io {
            path,
            message: format!("not a backup manifest: {err}"),
        })
    }
}
