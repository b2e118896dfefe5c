//! Catalog snapshots for the driver: [`snapshot_url`] (connect, snapshot, disconnect, as
//! `mig snapshot` does) and the verifier's [`Reader`], a PostgreSQL connection kept for
//! its many snapshots, on which the snapshot statement is prepared once. Nothing but
//! snapshots ever runs on the reader, so nothing a revision does reaches it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use sqlx::{Connection as _, PgConnection};

use crate::catalog::{
    snapshot_postgres, snapshot_postgres_prepared, snapshot_sqlite, CatalogError, Snapshot,
    SnapshotOptions,
};
use crate::db::{connect_postgres, connect_sqlite, Connection, DbError, SqliteLocation};
use crate::dialect::Dialect;
use crate::url::DatabaseUrl;

/// Why a database could not be snapshotted.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Connect(#[from] DbError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A backend or form the verifier cannot read (MySQL, in-memory SQLite).
    #[error("{0}")]
    Unsupported(&'static str),
}

impl SnapshotError {
    /// 3 for database errors, 2 for what cannot be read at all.
    pub fn exit_code(&self) -> i32 {
        match self {
            SnapshotError::Connect(_) | SnapshotError::Catalog(_) => 3,
            SnapshotError::Unsupported(_) => 2,
        }
    }
}

/// Connects to `url`, takes a catalog snapshot and disconnects.
pub async fn snapshot_url(
    url: &DatabaseUrl,
    opts: &SnapshotOptions,
) -> Result<Snapshot, SnapshotError> {
    let mut conn = match url.dialect() {
        Dialect::Postgresql => Connection::Postgres(connect_postgres(url, None).await?),
        Dialect::Sqlite => {
            Connection::Sqlite(connect_sqlite(&sqlite_file(url)?, Duration::from_secs(60)).await?)
        }
        Dialect::Mysql => return Err(mysql_unsupported()),
    };
    let snapshot = snapshot_on(&mut conn, url, opts).await;
    let _ = conn.close().await;
    snapshot
}

/// A catalog snapshot on `conn`, a connection to `url`.
async fn snapshot_on(
    conn: &mut Connection,
    url: &DatabaseUrl,
    opts: &SnapshotOptions,
) -> Result<Snapshot, SnapshotError> {
    match conn {
        Connection::Postgres(pg) => Ok(snapshot_postgres(pg, opts).await?),
        Connection::Sqlite(lite) => {
            sqlite_file(url)?;
            Ok(snapshot_sqlite(lite, opts).await?)
        }
        Connection::Mysql(_) => Err(mysql_unsupported()),
    }
}

/// The SQLite file `url` names (an in-memory database cannot be snapshotted).
fn sqlite_file(url: &DatabaseUrl) -> Result<SqliteLocation, SnapshotError> {
    match url.database() {
        Some(path) if !url.is_sqlite_memory() => Ok(SqliteLocation::File(PathBuf::from(path))),
        _ => Err(SnapshotError::Unsupported(
            "an in-memory SQLite database is private to its connection: there is nothing to \
             snapshot",
        )),
    }
}

fn mysql_unsupported() -> SnapshotError {
    SnapshotError::Unsupported("MySQL and MariaDB catalogs cannot be snapshotted yet")
}

/// The verifier's snapshot connection to a PostgreSQL database: opened as
/// [`snapshot_url`] opens one, kept between snapshots (`None` before the first and after
/// a failed one: the next connects again).
#[derive(Default)]
pub(super) struct Reader(Mutex<Option<PgConnection>>);

impl Reader {
    /// A snapshot of the database at `url`; with `prepared` (a connection that is its
    /// own server session, no transaction pooler between), the statement is prepared on
    /// the connection the first time and executed by name after.
    pub async fn snapshot(
        &self,
        url: &DatabaseUrl,
        opts: &SnapshotOptions,
        prepared: bool,
    ) -> Result<Snapshot, SnapshotError> {
        let kept = self.0.lock().ok().and_then(|mut held| held.take());
        let mut conn = match kept {
            Some(conn) => conn,
            None => connect_postgres(url, None).await?,
        };
        let taken = if prepared {
            snapshot_postgres_prepared(&mut conn, opts).await
        } else {
            snapshot_postgres(&mut conn, opts).await
        };
        match taken {
            Ok(snapshot) => {
                if let Ok(mut held) = self.0.lock() {
                    *held = Some(conn);
                }
                Ok(snapshot)
            }
            Err(err) => {
                let _ = conn.close().await;
                Err(err.into())
            }
        }
    }

    /// Closes the connection, if open.
    pub async fn close(&self) {
        let kept = self.0.lock().ok().and_then(|mut held| held.take());
        if let Some(conn) = kept {
            let _ = conn.close().await;
        }
    }
}
