//! The `mig_seed` table beside the version table (same schema): one row per applied
//! seed with its kind, checksum, when, how long, rows affected and by whom. Statements
//! through the dialect's one quoting path; reading it back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use crate::config::ExecSettings;
use crate::db::{query_error, table_exists, Connection, DbError};
use crate::dialect::Dialect;

pub use crate::config::SEED_TABLE;

/// A row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRow {
    pub checksum: String,
    pub applied_at: String,
}

/// `mig_seed` on one backend.
pub(super) struct SeedTable {
    dialect: Dialect,
    schema: Option<String>,
    pub qualified: String,
}

impl SeedTable {
    pub fn new(dialect: Dialect, settings: &ExecSettings) -> SeedTable {
        let schema = settings.version_table.schema.clone();
        SeedTable {
            dialect,
            qualified: dialect.qualified_name(schema.as_deref(), SEED_TABLE),
            schema,
        }
    }

    /// The statements that create the table (and the version table's schema) if missing.
    pub fn create_sql(&self) -> Vec<String> {
        let at = match self.dialect {
            Dialect::Postgresql => "TIMESTAMP WITH TIME ZONE",
            Dialect::Sqlite => "TEXT",
            Dialect::Mysql => "DATETIME(6)",
        };
        let mut statements = Vec::new();
        if let Some(schema) = &self.schema {
            statements.extend(self.dialect.create_schema_sql(schema));
        }
        statements.push(format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    \
             name VARCHAR(255) NOT NULL PRIMARY KEY,\n    \
             kind VARCHAR(16) NOT NULL,\n    \
             checksum VARCHAR(64) NOT NULL,\n    \
             applied_at {at} NOT NULL,\n    \
             duration_ms BIGINT NOT NULL,\n    \
             rows_affected BIGINT NOT NULL,\n    \
             operator VARCHAR(255) NOT NULL\n)",
            self.qualified
        ));
        statements
    }

    /// Replaces the row of `name` (delete, then insert: the same on every backend).
    #[allow(clippy::too_many_arguments)]
    pub fn record_sql(
        &self,
        name: &str,
        kind: &str,
        checksum: &str,
        at: DateTime<Utc>,
        duration_ms: i64,
        rows: u64,
        operator: &str,
    ) -> [String; 2] {
        let lit = |v: &str| self.dialect.string_literal(v);
        let at = match self.dialect {
            Dialect::Postgresql => at.format("'%Y-%m-%d %H:%M:%S%.6f+00'"),
            Dialect::Sqlite => at.format("'%Y-%m-%dT%H:%M:%S%.6fZ'"),
            Dialect::Mysql => at.format("'%Y-%m-%d %H:%M:%S%.6f'"),
        };
        [
            format!("DELETE FROM {} WHERE name = {}", self.qualified, lit(name)),
            format!(
                "INSERT INTO {} (name, kind, checksum, applied_at, duration_ms, rows_affected, \
                 operator) VALUES ({}, {}, {}, {at}, {duration_ms}, {rows}, {})",
                self.qualified,
                lit(name),
                lit(kind),
                lit(checksum),
                lit(operator)
            ),
        ]
    }

    /// Every recorded seed by name (empty when the table is missing).
    pub async fn read(&self, conn: &mut Connection) -> Result<BTreeMap<String, SeedRow>, DbError> {
        if !table_exists(conn, self.schema.as_deref(), SEED_TABLE).await? {
            return Ok(BTreeMap::new());
        }
        let at = match self.dialect {
            Dialect::Postgresql => {
                "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            }
            Dialect::Sqlite => "applied_at",
            Dialect::Mysql => "DATE_FORMAT(applied_at, '%Y-%m-%dT%H:%i:%sZ')",
        };
        let sql = format!("SELECT name, checksum, {at} FROM {}", self.qualified);
        let rows: Vec<(String, String, String)> = crate::on_connection!(conn, c => {
            sqlx::query_as(AssertSqlSafe(sql)).persistent(false).fetch_all(c).await
        })
        .map_err(|err| query_error(&format!("reading `{}`", self.qualified), &err))?;
        Ok(rows
            .into_iter()
            .map(|(name, checksum, applied_at)| {
                (
                    name,
                    SeedRow {
                        checksum,
                        applied_at,
                    },
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
