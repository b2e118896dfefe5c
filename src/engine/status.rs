//! What `mig status` needs from the database, read in one session without the lock:
//! the version table's rows, the history table's rows and the interrupted steps among
//! them; when there are some, whether another run holds the migration lock right now
//! (then the step may still be running rather than interrupted; PostgreSQL and MySQL). Judging each revision (applied, pending, interrupted, changed) needs the graph
//! and is done by [`crate::commands::status`].

use super::cancel::or_interrupted;
use super::session::Session;
use super::EngineError;
use crate::config::Config;
use crate::db::history::InterruptedStep;
use crate::db::{read_state, Connection, DbError, HistoryRow, HistoryTable, MigrationLock};
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
}

/// Reads [`Recorded`] (creates nothing).
pub async fn read(config: &Config, url: &DatabaseUrl) -> Result<Recorded, EngineError> {
    or_interrupted(
        async {
            let mut session = Session::open(url, &config.exec).await?;
            let found = async {
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
                let lock_held = !interrupted.is_empty() && lock_is_held(conn, config).await;
                Ok::<_, DbError>(Recorded {
                    version_table: state.exists,
                    heads: state.heads,
                    history,
                    interrupted,
                    lock_held,
                })
            }
            .await;
            session.close().await;
            Ok(found?)
        },
        Interrupt::process(),
    )
    .await
}

/// Whether another session holds the migration lock: one try, released at once when it
/// is granted. SQLite has no session lock to probe (false).
async fn lock_is_held(conn: &mut Connection, config: &Config) -> bool {
    let table = &config.exec.version_table;
    if !config.exec.lock || conn.dialect() == Dialect::Sqlite {
        return false;
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
