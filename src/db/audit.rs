//! One `mig_history` row per run of part two's commands (seed, reset, backup, protect):
//! creates the history table when missing and inserts the row in its own statement.
//! Knows nothing of what the commands did beyond the text they hand over.

use chrono::Utc;
use sqlx::AssertSqlSafe;

use super::connect::Connection;
use super::history::{HistoryEntry, HistoryKind, HistoryTable};
use super::{query_error, DbError};
use crate::config::ExecSettings;

/// What one run reports into its history row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub kind: HistoryKind,
    /// When the run started.
    pub started_at: chrono::DateTime<Utc>,
    pub duration_ms: i64,
    pub success: bool,
    /// The failure, first line.
    pub error: Option<String>,
    /// What was done (seeded, dropped, emptied, the backup path), in words.
    pub summary: String,
}

impl RunRecord {
    /// A record for a run of `kind` that started now.
    pub fn start(kind: HistoryKind) -> RunRecord {
        RunRecord {
            kind,
            started_at: Utc::now(),
            duration_ms: 0,
            success: true,
            error: None,
            summary: String::new(),
        }
    }

    /// Sets the duration from `started_at` to now.
    pub fn finish(mut self) -> RunRecord {
        self.duration_ms = (Utc::now() - self.started_at).num_milliseconds();
        self
    }
}

/// Writes `record` into the configured history table (created when missing); nothing
/// when the history table is disabled.
pub async fn record_run(
    conn: &mut Connection,
    settings: &ExecSettings,
    record: &RunRecord,
) -> Result<(), DbError> {
    let Some(table) = HistoryTable::new(conn.dialect(), settings) else {
        return Ok(());
    };
    let action = format!("writing the history row into `{}`", table.qualified());
    let entry = HistoryEntry {
        started_at: record.started_at,
        duration_ms: record.duration_ms,
        success: record.success,
        error: record.error.clone(),
        reason: Some(record.summary.clone()).filter(|s| !s.is_empty()),
        ..HistoryEntry::now(record.kind, None)
    };
    for sql in table.write_sql(conn, &entry).await? {
        crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
        })
        .map_err(|err| query_error(&action, &err))?;
    }
    Ok(())
}
