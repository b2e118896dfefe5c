//! What `mig status` needs from the database, read in one session without the lock:
//! the version table's rows, the history table's rows and the interrupted steps among
//! them; when there are some, whether another run holds the migration lock right now
//! (then the step may still be running rather than interrupted; PostgreSQL and MySQL);
//! and whether the session goes through a transaction-mode pooler (there the reads run in
//! one transaction with `search_path` set for it, and the lock is tried at transaction
//! level). Judging each revision (applied, pending, interrupted, changed) needs the graph
//! and is done by [`crate::commands::status`].

use sqlx::postgres::PgConnection;

use super::cancel::or_interrupted;
use super::session::Session;
use super::EngineError;
use crate::config::Config;
use crate::db::history::InterruptedStep;
use crate::db::lock::{acquire_postgres_xact, postgres_key};
use crate::db::{read_state, Connection, DbError, HistoryRow, HistoryTable, MigrationLock, Pooler};
use crate::dialect::Dialect;
use crate::execute::Interrupt;
use crate::url::DatabaseUrl;

/// The database's side of `mig status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recorded {
    /// Whether the version table exists.
    pub version_table: bool,
    /// Its rows.
    pub heads: Vec<String>,
    /// The history table's rows, oldest first (empty when disabled or missing).
    pub history: Vec<HistoryRow>,
    /// Steps whose progress row is still `in progress`.
    pub interrupted: Vec<InterruptedStep>,
    /// Another session holds the migration lock (checked only when `interrupted` is not
    /// empty).
    pub lock_held: bool,
    /// What stands between mig and the server.
    pub pooler: Pooler,
}

/// Reads [`Recorded`] (creates nothing).
pub async fn read(config: &Config, url: &DatabaseUrl) -> Result<Recorded, EngineError> {
    or_interrupted(
        async {
            let mut session = Session::open(url, &config.exec).await?;
            let pooler = session.pooler;
            let found = async {
                session.begin_read(&config.exec).await?;
                let conn = &mut session.conn;
                let state = read_state(conn, &config.exec.version_table).await?;
                let history = match HistoryTable::new(conn.dialect(), &config.exec) {
                    Some(table) => table.rows(conn).await?,
                    None => Vec::new(),
                };
                let interrupted: Vec<InterruptedStep> = history
                    .iter()
                    .cloned()
                    .filter_map(InterruptedStep::from_row)
                    .collect();
                let lock_held = !interrupted.is_empty() && lock_is_held(conn, config, pooler).await;
                Ok::<_, DbError>(Recorded {
                    version_table: state.exists,
                    heads: state.heads,
                    history,
                    interrupted,
                    lock_held,
                    pooler,
                })
            }
            .await;
            let ended = match found {
                Ok(_) => session.end_read().await,
                Err(_) => Ok(()),
            };
            session.close().await;
            let found = found?;
            ended?;
            Ok(found)
        },
        Interrupt::process(),
    )
    .await
}

/// Whether another session holds the migration lock: one try, released at once when it
/// is granted. SQLite has no session lock to probe (false). Through a transaction pooler
/// the try is at transaction level (a session lock there could stay behind on a server
/// connection the pooler hands to other clients).
async fn lock_is_held(conn: &mut Connection, config: &Config, pooler: Pooler) -> bool {
    let table = &config.exec.version_table;
    if !config.exec.lock || conn.dialect() == Dialect::Sqlite {
        return false;
    }
    if let (Connection::Postgres(pg), true) = (&mut *conn, pooler.is_transaction()) {
        return xact_lock_is_held(pg, table.schema.as_deref(), &table.table).await;
    }
    let tried = MigrationLock::acquire(
        conn,
        table.schema.as_deref(),
        &table.table,
        std::time::Duration::ZERO,
    )
    .await;
    match tried {
        Ok(lock) => {
            let _ = lock.release(conn).await;
            false
        }
        Err(DbError::LockTimeout(_)) => true,
        Err(_) => false,
    }
}

/// [`lock_is_held`] through a transaction pooler: a transaction-level try in the read's
/// open transaction, which ends right after (releasing it when it was granted).
async fn xact_lock_is_held(pg: &mut PgConnection, schema: Option<&str>, table: &str) -> bool {
    let Ok(key) = postgres_key(pg, schema, table).await else {
        return false;
    };
    let tried = acquire_postgres_xact(pg, &key, std::time::Duration::ZERO).await;
    matches!(tried, Err(DbError::LockTimeout(_)))
}
