//! Progress rows of the history table (SPEC section 13): before each statement of a step
//! that runs outside a transaction (`Transaction: none`, and every statement on MySQL,
//! where DDL commits), the live sink records how many of the step's statements are done
//! in a row whose `progress` is `in progress`, in its own committed write; the step's
//! version-table transaction deletes it. A row still `in progress` when no mig runs is an
//! interrupted step. `mig resolve` rows use the same columns (`progress` = `applied` or
//! `reverted`). This module renders those statements, reads the rows back and adds the
//! columns to a history table created by an older mig. It decides nothing about when.

use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use super::{HistoryKind, HistoryRow, HistoryTable};
use crate::db::connect::Connection;
use crate::db::{query_error, DbError};
use crate::dialect::Dialect;

/// The `progress` value of a step that started and has not finished.
pub const IN_PROGRESS: &str = "in progress";

/// The progress columns, in `INSERT` order.
pub(super) const COLUMNS: [&str; 5] = [
    "progress",
    "statements_done",
    "statements_total",
    "statement_line",
    "version_rows",
];

/// The progress columns' definitions (all nullable: older rows have none).
pub(super) fn column_definitions() -> [&'static str; 5] {
    [
        "progress VARCHAR(16)",
        "statements_done BIGINT",
        "statements_total BIGINT",
        "statement_line BIGINT",
        "version_rows TEXT",
    ]
}

/// What a progress (or resolve) row records about a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProgress {
    /// [`IN_PROGRESS`], or for `resolve` rows `applied` / `reverted`.
    pub state: String,
    /// Statements of the step known to be complete.
    pub done: i64,
    /// Statements in the step.
    pub total: i64,
    /// The file line of the last statement done (of the first one when none is done).
    pub line: i64,
    /// The version table's rows when the step started.
    pub version_rows: Vec<String>,
}

/// A step whose progress row is still `in progress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterruptedStep {
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub direction: String,
    /// The checksum of the section that was running.
    pub checksum: Option<String>,
    /// When the step started (`YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub started_at: String,
    /// When its progress was last recorded, as `YYYY-MM-DD HH:MM:SS UTC`.
    pub recorded_at: String,
    pub operator: String,
    pub progress: StepProgress,
}

impl InterruptedStep {
    /// The interrupted step a row records, if it is a progress row still `in progress`.
    pub fn from_row(row: HistoryRow) -> Option<InterruptedStep> {
        let progress = row.progress.filter(|p| p.state == IN_PROGRESS)?;
        let recorded_at = DateTime::parse_from_rfc3339(&row.started_at)
            .map(|at| {
                (at.with_timezone(&Utc) + chrono::Duration::milliseconds(row.duration_ms))
                    .format("%Y-%m-%d %H:%M:%S UTC")
                    .to_string()
            })
            .unwrap_or_else(|_| row.started_at.clone());
        Some(InterruptedStep {
            revision: row.revision?,
            direction: row.direction,
            checksum: row.checksum,
            started_at: row.started_at,
            recorded_at,
            operator: row.operator,
            progress,
        })
    }
}

impl HistoryTable {
    /// `statements_done, ..., version_rows` values of one row.
    pub(super) fn progress_values(&self, progress: &StepProgress) -> String {
        format!(
            "{}, {}, {}, {}, {}",
            self.text_literal(Some(&progress.state)),
            progress.done,
            progress.total,
            progress.line,
            self.text_literal(Some(&progress.version_rows.join(", "))),
        )
    }

    fn in_progress_condition(&self, revision: &str, direction: HistoryKind) -> String {
        format!(
            "revision = {} AND direction = {} AND progress = {}",
            self.text_literal(Some(revision)),
            self.text_literal(Some(direction.as_str())),
            self.text_literal(Some(IN_PROGRESS)),
        )
    }

    /// Records that `done` statements of the step are complete (the last one on `line`)
    /// after `duration_ms` since the step started.
    pub fn progress_update_sql(
        &self,
        revision: &str,
        direction: HistoryKind,
        done: usize,
        line: usize,
        duration_ms: i64,
    ) -> String {
        format!(
            "UPDATE {} SET statements_done = {done}, statement_line = {line}, \
             duration_ms = {duration_ms} WHERE {}",
            self.qualified,
            self.in_progress_condition(revision, direction)
        )
    }

    /// Removes the step's progress row (when the step finished, or was resolved).
    pub fn progress_delete_sql(&self, revision: &str, direction: HistoryKind) -> String {
        format!(
            "DELETE FROM {} WHERE {}",
            self.qualified,
            self.in_progress_condition(revision, direction)
        )
    }

    /// The table's column names, lower case.
    pub(super) async fn columns(&self, conn: &mut Connection) -> Result<Vec<String>, DbError> {
        let action = format!("reading the columns of `{}`", self.qualified);
        let schema = self.schema.as_deref();
        let name = self.name.as_str();
        let names: Vec<String> = match conn {
            Connection::Postgres(pg) => sqlx::query_scalar(
                "SELECT a.attname::text FROM pg_catalog.pg_attribute a \
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 \
                 AND NOT a.attisdropped \
                 AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) \
                 ELSE n.nspname = $2 END",
            )
            .persistent(false)
            .bind(name)
            .bind(schema)
            .fetch_all(pg)
            .await
            .map_err(|err| query_error(&action, &err))?,
            Connection::Sqlite(lite) => {
                sqlx::query_scalar("SELECT name FROM pragma_table_info(?1, ?2)")
                    .persistent(false)
                    .bind(name)
                    .bind(schema.unwrap_or("main"))
                    .fetch_all(lite)
                    .await
                    .map_err(|err| query_error(&action, &err))?
            }
            Connection::Mysql(my) => sqlx::query_scalar(
                "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
            )
            .persistent(false)
            .bind(schema)
            .bind(name)
            .fetch_all(my)
            .await
            .map_err(|err| query_error(&action, &err))?,
        };
        Ok(names.into_iter().map(|n| n.to_lowercase()).collect())
    }

    /// Adds the progress columns a table created by an older mig lacks (nothing when the
    /// table is missing: it is created with them).
    pub async fn add_missing_columns(&self, conn: &mut Connection) -> Result<(), DbError> {
        if !self.exists(conn).await? {
            return Ok(());
        }
        let have = self.columns(conn).await?;
        for (column, definition) in COLUMNS.iter().zip(column_definitions()) {
            if have.iter().any(|c| c == column) {
                continue;
            }
            let sql = format!("ALTER TABLE {} ADD COLUMN {definition}", self.qualified);
            let action = format!("adding column `{column}` to `{}`", self.qualified);
            crate::on_connection!(&mut *conn, c => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
            })
            .map_err(|err| query_error(&action, &err))?;
        }
        Ok(())
    }

    /// The select list of the progress columns: each column, or `NULL` where the table
    /// (created by an older mig) lacks it.
    pub(super) fn progress_select(&self, have: &[String]) -> String {
        let number = match self.dialect {
            Dialect::Mysql => "SIGNED",
            _ => "BIGINT",
        };
        COLUMNS
            .iter()
            .map(|column| {
                let present = have.iter().any(|c| c == column);
                match (present, *column) {
                    (true, "progress" | "version_rows") => column.to_string(),
                    (true, _) => format!("CAST({column} AS {number})"),
                    (false, _) => "NULL".to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Steps whose progress row is still `in progress`, oldest first.
    pub async fn interrupted(
        &self,
        conn: &mut Connection,
    ) -> Result<Vec<InterruptedStep>, DbError> {
        Ok(self
            .select_rows(conn, true)
            .await?
            .into_iter()
            .filter_map(InterruptedStep::from_row)
            .collect())
    }
}

/// The progress columns as read back, into [`StepProgress`].
pub(super) fn read_progress(
    state: Option<String>,
    done: Option<i64>,
    total: Option<i64>,
    line: Option<i64>,
    version_rows: Option<String>,
) -> Option<StepProgress> {
    let state = state?;
    Some(StepProgress {
        state,
        done: done.unwrap_or(0),
        total: total.unwrap_or(0),
        line: line.unwrap_or(0),
        version_rows: version_rows
            .as_deref()
            .unwrap_or_default()
            .split(", ")
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

#[cfg(test)]
mod tests;
