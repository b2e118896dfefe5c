//! Throwaway SQLite databases: a file in a private temp directory, removed on drop.
//! Never opens the file itself; connecting is `db`'s job.

use std::path::{Path, PathBuf};

use super::ProvisionError;

/// A SQLite database file path in a temp directory of its own (the directory also takes
/// SQLite's `-wal`/`-journal` side files). The file is created by the first connection.
#[derive(Debug)]
pub struct TempSqlite {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl TempSqlite {
    /// A fresh, not yet existing database file `db.sqlite` in a new temp directory.
    pub fn new() -> Result<TempSqlite, ProvisionError> {
        let base = std::env::temp_dir();
        let dir = tempfile::Builder::new()
            .prefix("mig-sqlite-")
            .tempdir_in(&base)
            .map_err(|source| ProvisionError::Io {
                action: "create a directory in".into(),
                path: base,
                error: source,
            })?;
        let path = dir.path().join("db.sqlite");
        Ok(TempSqlite { dir, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLAlchemy-style URL of the file (`sqlite:////tmp/.../db.sqlite`).
    pub fn url(&self) -> String {
        format!("sqlite:///{}", self.path.display())
    }

    /// The directory removed on drop.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

#[cfg(test)]
mod tests;
