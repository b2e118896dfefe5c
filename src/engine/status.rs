//! What `mig status` needs from the database, read in one session without the lock:
//! the version table's rows, the history table's rows and the interrupted steps among
//! them. Judging each revision (applied, pending, interrupted, changed) needs the graph
//! and is done by [`crate::commands::status`].

use super::cancel::or_interrupted;
use super::session::Session;
use super::EngineError;
use crate::config::Config;
use crate::db::history::InterruptedStep;
use crate::db::{read_state, HistoryRow, HistoryTable};
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
                let interrupted = history
                    .iter()
                    .cloned()
                    .filter_map(InterruptedStep::from_row)
                    .collect();
                Ok::<_, crate::db::DbError>(Recorded {
                    version_table: state.exists,
                    heads: state.heads,
                    history,
                    interrupted,
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
