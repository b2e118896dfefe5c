//! The history table (`[mig] history_table`, default `mig_history`): one row per applied,
//! reverted or stamped step and per accepted checksum, beside the version table (same
//! schema). This module renders its statements and reads it back; the live sink decides
//! when rows are written. Never touches the version table.
//!
//! Columns: `revision` (the revision whose section ran; for a stamp step the target ids
//! joined by `, `, NULL for base), `direction` (`upgrade`, `downgrade`, `stamp`, `accept`,
//! `resolve`, and one row per run of part two's commands: `seed`, `reset`, `backup`,
//! `protect`),
//! `checksum` (hex SHA-256 of the normalised section that ran; NULL for stamps),
//! `started_at` (UTC), `duration_ms`, `operator` (`user@host`), `mig_version`, `success`,
//! `error` (for failed steps), `reason` (for `accept` and `resolve`). No key column: rows
//! are ordered by `started_at`, and an owned sequence would show up in catalog snapshots.
//!
//! Progress (SPEC section 13, see [`progress`]): five nullable columns added by this
//! version of mig (`progress`, `statements_done`, `statements_total`, `statement_line`,
//! `version_rows`), added to an older table before a run writes to it; rows that do not
//! use them leave them out of their `INSERT`, so older tables stay writable and readable.

use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

mod operator;
mod progress;

use super::connect::Connection;
use super::version_table::table_exists;
use super::{query_error, DbError};
use crate::config::ExecSettings;
use crate::dialect::Dialect;

pub(crate) use crate::revision::parse::checksum as section_checksum;
pub use operator::operator;
pub use progress::{InterruptedStep, StepProgress, IN_PROGRESS};

/// The mig version recorded in each row.
pub const MIG_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a history row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryKind {
    Upgrade,
    Downgrade,
    Stamp,
    /// `mig accept`: a changed file's new checksum, accepted with a reason.
    Accept,
    /// `mig resolve`: an interrupted step repaired by hand (`progress` says how).
    Resolve,
    /// One `mig seed` run (SPEC section 14); `reason` lists what ran.
    Seed,
    /// One `mig reset` run (SPEC section 15).
    Reset,
    /// One `mig backup` run (SPEC section 16).
    Backup,
    /// `mig protect` / `mig unprotect` (SPEC section 15).
    Protect,
}

impl HistoryKind {
    /// The value stored in the `direction` column.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Upgrade => "upgrade",
            HistoryKind::Downgrade => "downgrade",
            HistoryKind::Stamp => "stamp",
            HistoryKind::Accept => "accept",
            HistoryKind::Resolve => "resolve",
            HistoryKind::Seed => "seed",
            HistoryKind::Reset => "reset",
            HistoryKind::Backup => "backup",
            HistoryKind::Protect => "protect",
        }
    }
}

/// A row to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub revision: Option<String>,
    pub kind: HistoryKind,
    pub checksum: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub operator: String,
    pub success: bool,
    pub error: Option<String>,
    pub reason: Option<String>,
    /// The progress columns (`None`: a row that does not use them).
    pub progress: Option<StepProgress>,
}

impl HistoryEntry {
    /// A successful row of `kind` written now by this operator, taking no time; the
    /// caller sets what else it records (`HistoryEntry { reason, ..HistoryEntry::now(..) }`).
    pub fn now(kind: HistoryKind, revision: Option<String>) -> HistoryEntry {
        HistoryEntry {
            revision,
            kind,
            checksum: None,
            started_at: Utc::now(),
            duration_ms: 0,
            operator: operator(),
            success: true,
            error: None,
            reason: None,
            progress: None,
        }
    }
}

/// A row as read back; `started_at` as `YYYY-MM-DDTHH:MM:SS.ffffffZ` on every backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub revision: Option<String>,
    pub direction: String,
    pub checksum: Option<String>,
    pub started_at: String,
    pub duration_ms: i64,
    pub operator: String,
    pub mig_version: String,
    pub success: bool,
    pub error: Option<String>,
    pub reason: Option<String>,
    /// The progress columns (`None` on rows that do not use them, and on tables written
    /// only by older mig).
    pub progress: Option<StepProgress>,
}

/// The last accepted checksum of a revision's upgrade section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChecksum {
    pub revision: String,
    pub checksum: String,
    /// When it was recorded (`started_at` of the row).
    pub recorded_at: String,
}

/// The configured history table on one backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    dialect: Dialect,
    schema: Option<String>,
    name: String,
    qualified: String,
}

type RowTuple = (
    Option<String>,
    String,
    Option<String>,
    String,
    i64,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

impl HistoryTable {
    /// The history table of `settings` (beside the version table), or `None` when
    /// `history_table` is empty (disabled).
    pub fn new(dialect: Dialect, settings: &ExecSettings) -> Option<HistoryTable> {
        let name = settings
            .history_table
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())?;
        let schema = settings.version_table.schema.clone();
        Some(HistoryTable {
            dialect,
            qualified: dialect.qualified_name(schema.as_deref(), name),
            schema,
            name: name.to_string(),
        })
    }

    /// The qualified, quoted name as it appears in statements.
    pub fn qualified(&self) -> &str {
        &self.qualified
    }

    /// `CREATE TABLE` for this backend.
    pub fn create_sql(&self) -> String {
        let (started_at, success) = match self.dialect {
            Dialect::Postgresql => ("TIMESTAMP WITH TIME ZONE", "BOOLEAN"),
            Dialect::Sqlite => ("TEXT", "BOOLEAN"),
            Dialect::Mysql => ("DATETIME(6)", "BOOLEAN"),
        };
        format!(
            "CREATE TABLE {} (\n    \
             revision VARCHAR(255),\n    \
             direction VARCHAR(16) NOT NULL,\n    \
             checksum VARCHAR(64),\n    \
             started_at {started_at} NOT NULL,\n    \
             duration_ms BIGINT NOT NULL,\n    \
             operator VARCHAR(255) NOT NULL,\n    \
             mig_version VARCHAR(32) NOT NULL,\n    \
             success {success} NOT NULL,\n    \
             error TEXT,\n    \
             reason TEXT,\n    \
             {}\n)",
            self.qualified,
            progress::column_definitions().join(",\n    "),
        )
    }

    /// The statements that write `entry`: the table (and the version table's schema)
    /// created first when it is missing.
    pub async fn write_sql(
        &self,
        conn: &mut Connection,
        entry: &HistoryEntry,
    ) -> Result<Vec<String>, DbError> {
        let mut statements = Vec::new();
        if !self.exists(conn).await? {
            if let Some(schema) = &self.schema {
                statements.extend(self.dialect.create_schema_sql(schema));
            }
            statements.push(self.create_sql());
        }
        statements.push(self.insert_sql(entry));
        Ok(statements)
    }

    /// `INSERT` of one row, values inlined as literals.
    pub fn insert_sql(&self, entry: &HistoryEntry) -> String {
        self.insert_rows_sql(std::slice::from_ref(entry))
    }

    /// One `INSERT` of several rows (`VALUES (...), (...)`), values inlined as literals.
    pub fn insert_rows_sql(&self, entries: &[HistoryEntry]) -> String {
        let with_progress = entries.iter().any(|entry| entry.progress.is_some());
        let rows: Vec<String> = entries
            .iter()
            .map(|entry| self.values(entry, with_progress))
            .collect();
        let progress_columns = if with_progress {
            format!(", {}", progress::COLUMNS.join(", "))
        } else {
            String::new()
        };
        format!(
            "INSERT INTO {} (revision, direction, checksum, started_at, duration_ms, operator, \
             mig_version, success, error, reason{progress_columns}) VALUES {}",
            self.qualified,
            rows.join(", ")
        )
    }

    fn values(&self, entry: &HistoryEntry, with_progress: bool) -> String {
        let text = |value: Option<&str>| self.text_literal(value);
        let progress = match (&entry.progress, with_progress) {
            (_, false) => String::new(),
            (Some(progress), true) => format!(", {}", self.progress_values(progress)),
            (None, true) => ", NULL, NULL, NULL, NULL, NULL".to_string(),
        };
        format!(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}{progress})",
            text(entry.revision.as_deref()),
            text(Some(entry.kind.as_str())),
            text(entry.checksum.as_deref()),
            self.timestamp_literal(entry.started_at),
            entry.duration_ms,
            text(Some(&entry.operator)),
            text(Some(MIG_VERSION)),
            if entry.success { "TRUE" } else { "FALSE" },
            text(entry.error.as_deref()),
            text(entry.reason.as_deref()),
        )
    }

    fn text_literal(&self, value: Option<&str>) -> String {
        match value {
            Some(value) => self.dialect.string_literal(&value.replace('\0', "")),
            None => "NULL".to_string(),
        }
    }

    fn timestamp_literal(&self, at: DateTime<Utc>) -> String {
        let format = match self.dialect {
            Dialect::Postgresql => "'%Y-%m-%d %H:%M:%S%.6f+00'",
            Dialect::Sqlite => "'%Y-%m-%dT%H:%M:%S%.6fZ'",
            Dialect::Mysql => "'%Y-%m-%d %H:%M:%S%.6f'",
        };
        at.format(format).to_string()
    }

    /// `started_at` rendered as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    fn started_at_text(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgresql => {
                "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            }
            Dialect::Sqlite => "started_at",
            Dialect::Mysql => "DATE_FORMAT(started_at, '%Y-%m-%dT%H:%i:%s.%fZ')",
        }
    }

    /// Whether the table exists.
    pub async fn exists(&self, conn: &mut Connection) -> Result<bool, DbError> {
        table_exists(conn, self.schema.as_deref(), &self.name).await
    }

    /// Every row, oldest first (empty when the table is missing).
    pub async fn rows(&self, conn: &mut Connection) -> Result<Vec<HistoryRow>, DbError> {
        self.select_rows(conn, false).await
    }

    /// Every row, or with `in_progress` only the progress rows still `in progress`
    /// (none when the table predates the progress columns).
    async fn select_rows(
        &self,
        conn: &mut Connection,
        in_progress: bool,
    ) -> Result<Vec<HistoryRow>, DbError> {
        if !self.exists(conn).await? {
            return Ok(Vec::new());
        }
        let have = self.columns(conn).await?;
        let filter = match (in_progress, have.iter().any(|c| c == "progress")) {
            (false, _) => String::new(),
            (true, false) => return Ok(Vec::new()),
            (true, true) => format!(
                " WHERE progress = {}",
                self.text_literal(Some(progress::IN_PROGRESS))
            ),
        };
        let success = match self.dialect {
            Dialect::Postgresql => "CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT)",
            Dialect::Sqlite => "CASE WHEN success THEN 1 ELSE 0 END",
            Dialect::Mysql => "CAST(CASE WHEN success THEN 1 ELSE 0 END AS SIGNED)",
        };
        let sql = format!(
            "SELECT revision, direction, checksum, {}, duration_ms, operator, mig_version, \
             {success}, error, reason, {} FROM {}{filter} ORDER BY started_at",
            self.started_at_text(),
            self.progress_select(&have),
            self.qualified
        );
        let action = format!("reading the history table `{}`", self.qualified);
        let rows: Vec<RowTuple> = crate::on_connection!(conn, c => {
            sqlx::query_as(AssertSqlSafe(sql))
                .persistent(false)
                .fetch_all(c)
                .await
        })
        .map_err(|err| query_error(&action, &err))?;
        Ok(rows
            .into_iter()
            .map(|row| HistoryRow {
                revision: row.0,
                direction: row.1,
                checksum: row.2,
                started_at: row.3,
                duration_ms: row.4,
                operator: row.5,
                mig_version: row.6,
                success: row.7 != 0,
                error: row.8,
                reason: row.9,
                progress: progress::read_progress(row.10, row.11, row.12, row.13, row.14),
            })
            .collect())
    }

    /// For each revision with a successful `upgrade` or `accept` row, the checksum of the
    /// latest such row (empty when the table is missing), sorted by revision.
    pub async fn recorded_checksums(
        &self,
        conn: &mut Connection,
    ) -> Result<Vec<RecordedChecksum>, DbError> {
        Ok(latest_checksums(&self.rows(conn).await?))
    }
}

/// For each revision with a successful `upgrade` or `accept` row among `rows` (oldest
/// first), the checksum of the latest such row, sorted by revision.
pub fn latest_checksums(rows: &[HistoryRow]) -> Vec<RecordedChecksum> {
    let mut latest: std::collections::BTreeMap<&str, RecordedChecksum> =
        std::collections::BTreeMap::new();
    for row in rows {
        let counts = row.success
            && (row.direction == HistoryKind::Upgrade.as_str()
                || row.direction == HistoryKind::Accept.as_str());
        if let (true, Some(revision), Some(checksum)) = (counts, &row.revision, &row.checksum) {
            latest.insert(
                revision,
                RecordedChecksum {
                    revision: revision.clone(),
                    checksum: checksum.clone(),
                    recorded_at: row.started_at.clone(),
                },
            );
        }
    }
    latest.into_values().collect()
}

#[cfg(test)]
mod tests;
