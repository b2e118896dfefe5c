//! Fresh databases beside a given one: `CREATE DATABASE` on the same PostgreSQL server
//! (a private one, or the scratch server; the role needs `CREATEDB`, which it had to make
//! the first), a new temp file for SQLite. Each spare is dropped when the next one is
//! made, and all of them when the [`Spare`] is removed or dropped (also after an
//! interrupt: a dropped [`ScratchDatabase`] drops its database).

use crate::dialect::Dialect;
use crate::provision::{unique_name, ScratchDatabase, TempSqlite};
use crate::url::DatabaseUrl;

/// The maker of fresh databases beside `base`; holds the latest one.
#[derive(Debug)]
pub struct Spare {
    base: DatabaseUrl,
    current: Option<Made>,
}

#[derive(Debug)]
enum Made {
    Postgres(ScratchDatabase),
    Sqlite(TempSqlite),
}

impl Spare {
    /// Fresh databases beside the one at `base` (PostgreSQL or a SQLite file).
    pub fn beside(base: &DatabaseUrl) -> Spare {
        Spare {
            base: base.clone(),
            current: None,
        }
    }

    /// A new, empty database; the previous spare (if any) is dropped first.
    pub async fn fresh(&mut self) -> Result<DatabaseUrl, String> {
        self.remove_current().await;
        let (made, url) = match self.base.dialect() {
            Dialect::Postgresql => {
                let name = unique_name("mig_replay");
                let db = ScratchDatabase::create_named(&self.base, &name)
                    .await
                    .map_err(|e| format!("creating a fresh database: {e}"))?;
                let url = db.url().clone();
                (Made::Postgres(db), url)
            }
            Dialect::Sqlite => {
                let file = TempSqlite::new().map_err(|e| e.to_string())?;
                let url = DatabaseUrl::parse(&file.url()).map_err(|e| e.to_string())?;
                (Made::Sqlite(file), url)
            }
            Dialect::Mysql => {
                return Err("fresh MySQL databases cannot be made yet".to_string());
            }
        };
        self.current = Some(made);
        Ok(url)
    }

    /// Drops the spare made last.
    pub async fn remove(mut self) {
        self.remove_current().await;
    }

    async fn remove_current(&mut self) {
        match self.current.take() {
            Some(Made::Postgres(db)) => {
                if let Err(err) = db.remove().await {
                    tracing::warn!(target: "mig", "removing a fresh database: {err}");
                }
            }
            Some(Made::Sqlite(file)) => drop(file),
            None => {}
        }
    }
}
