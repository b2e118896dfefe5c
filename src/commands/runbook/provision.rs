//! The database a runbook runs against: a private PostgreSQL server or a temp SQLite file
//! (`--ephemeral`, the default), a scratch database on the configured server
//! (`--scratch`; a temp file for SQLite), or the configured database (`--in-place`).
//! Whatever is created here is removed again by [`Provisioned::remove`] (or on drop).

use std::path::PathBuf;

use crate::dialect::Dialect;
use crate::provision::{EphemeralPostgres, ProvisionError, ScratchDatabase, TempSqlite};
use crate::runbook::{Fatal, TargetMode};
use crate::url::DatabaseUrl;

/// The database created for the run in the private server.
const DATABASE: &str = "mig_runbook";

/// A target and what has to be removed afterwards.
pub enum Provisioned {
    Ephemeral(EphemeralPostgres, DatabaseUrl),
    Sqlite(TempSqlite, DatabaseUrl),
    Scratch(ScratchDatabase, DatabaseUrl),
    InPlace(DatabaseUrl),
}

impl Provisioned {
    /// Creates the target; `configured` is the configured database URL, if it resolved.
    pub async fn new(
        mode: TargetMode,
        dialect: Dialect,
        configured: Option<&DatabaseUrl>,
    ) -> Result<Provisioned, Fatal> {
        let at = "provisioning the target";
        let fatal = |err: ProvisionError| Fatal {
            at: at.into(),
            exit_code: match err {
                ProvisionError::BinariesMissing { .. } | ProvisionError::NoUnprivilegedUser => 2,
                _ => 3,
            },
            message: err.to_string(),
        };
        let parse = |text: String| {
            DatabaseUrl::parse(&text).map_err(|e| Fatal {
                at: at.into(),
                message: e.to_string(),
                exit_code: 2,
            })
        };
        let need_url = || {
            configured.cloned().ok_or_else(|| Fatal {
                at: at.into(),
                message: "no database URL is configured".into(),
                exit_code: 2,
            })
        };
        match (mode, dialect) {
            (TargetMode::InPlace, _) => Ok(Provisioned::InPlace(need_url()?)),
            (TargetMode::Ephemeral | TargetMode::Scratch, Dialect::Sqlite) => {
                let file = TempSqlite::new().map_err(fatal)?;
                let url = parse(file.url())?;
                Ok(Provisioned::Sqlite(file, url))
            }
            (TargetMode::Ephemeral, _) => {
                let server = EphemeralPostgres::start().map_err(fatal)?;
                let url = server.create_database(DATABASE).await.map_err(fatal)?;
                let url = parse(url)?;
                Ok(Provisioned::Ephemeral(server, url))
            }
            (TargetMode::Scratch, _) => {
                let server = need_url()?;
                let scratch = ScratchDatabase::create(&server.to_sqlx_url())
                    .await
                    .map_err(fatal)?;
                let url = parse(scratch.url().to_string())?;
                Ok(Provisioned::Scratch(scratch, url))
            }
        }
    }

    /// The target's URL.
    pub fn url(&self) -> &DatabaseUrl {
        match self {
            Provisioned::Ephemeral(_, url)
            | Provisioned::Sqlite(_, url)
            | Provisioned::Scratch(_, url)
            | Provisioned::InPlace(url) => url,
        }
    }

    /// The SQLite file of a temp target.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match self {
            Provisioned::Sqlite(file, _) => Some(file.path().to_path_buf()),
            _ => None,
        }
    }

    /// Removes what was created (nothing for `--in-place`).
    pub async fn remove(self) -> Result<(), ProvisionError> {
        match self {
            Provisioned::Ephemeral(server, _) => server.stop(),
            Provisioned::Scratch(scratch, _) => scratch.remove().await,
            Provisioned::Sqlite(file, _) => {
                drop(file);
                Ok(())
            }
            Provisioned::InPlace(_) => Ok(()),
        }
    }
}
