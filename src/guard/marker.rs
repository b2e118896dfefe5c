//! The `mig_environment` table beside the version table: one row when `mig protect`
//! marked the database (its name, reason, who, when). Statements through the dialect's
//! quoting path; read, write, remove.

use chrono::Utc;
use sqlx::AssertSqlSafe;

use super::ENVIRONMENT_TABLE;
use crate::config::ExecSettings;
use crate::db::history::operator;
use crate::db::{query_error, table_exists, Connection, DbError};
use crate::dialect::Dialect;

/// A protection marker as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Marker {
    /// The database's name when it was marked.
    pub name: String,
    pub reason: Option<String>,
    pub protected_by: String,
    pub protected_at: String,
}

pub(super) struct MarkerTable {
    dialect: Dialect,
    schema: Option<String>,
    qualified: String,
}

impl MarkerTable {
    pub fn new(dialect: Dialect, settings: &ExecSettings) -> MarkerTable {
        let schema = settings.version_table.schema.clone();
        MarkerTable {
            dialect,
            qualified: dialect.qualified_name(schema.as_deref(), ENVIRONMENT_TABLE),
            schema,
        }
    }

    /// The marker, if the table exists and holds one.
    pub async fn read(&self, conn: &mut Connection) -> Result<Option<Marker>, DbError> {
        if !table_exists(conn, self.schema.as_deref(), ENVIRONMENT_TABLE).await? {
            return Ok(None);
        }
        let at = match self.dialect {
            Dialect::Postgresql => {
                "to_char(protected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            }
            Dialect::Sqlite => "protected_at",
            Dialect::Mysql => "DATE_FORMAT(protected_at, '%Y-%m-%dT%H:%i:%sZ')",
        };
        let sql = format!(
            "SELECT name, reason, protected_by, {at} FROM {} ORDER BY protected_at DESC",
            self.qualified
        );
        let rows: Vec<(String, Option<String>, String, String)> =
            crate::on_connection!(conn, c => {
                sqlx::query_as(AssertSqlSafe(sql)).persistent(false).fetch_all(c).await
            })
            .map_err(|err| query_error(&format!("reading `{}`", self.qualified), &err))?;
        Ok(rows.into_iter().next().map(|row| Marker {
            name: row.0,
            reason: row.1,
            protected_by: row.2,
            protected_at: row.3,
        }))
    }

    /// Statements that replace the marker with one for `database`.
    pub fn protect_sql(&self, database: &str, reason: Option<&str>) -> Vec<String> {
        let at = match self.dialect {
            Dialect::Postgresql => "TIMESTAMP WITH TIME ZONE",
            Dialect::Sqlite => "TEXT",
            Dialect::Mysql => "DATETIME(6)",
        };
        let now = Utc::now();
        let now = match self.dialect {
            Dialect::Postgresql => now.format("'%Y-%m-%d %H:%M:%S%.6f+00'"),
            Dialect::Sqlite => now.format("'%Y-%m-%dT%H:%M:%S%.6fZ'"),
            Dialect::Mysql => now.format("'%Y-%m-%d %H:%M:%S%.6f'"),
        };
        let lit = |v: &str| self.dialect.string_literal(v);
        let mut statements = Vec::new();
        if let Some(schema) = &self.schema {
            statements.extend(self.dialect.create_schema_sql(schema));
        }
        statements.push(format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    name VARCHAR(255) NOT NULL,\n    \
             reason TEXT,\n    protected_by VARCHAR(255) NOT NULL,\n    \
             protected_at {at} NOT NULL\n)",
            self.qualified
        ));
        statements.push(format!("DELETE FROM {}", self.qualified));
        statements.push(format!(
            "INSERT INTO {} (name, reason, protected_by, protected_at) VALUES ({}, {}, {}, {now})",
            self.qualified,
            lit(database),
            reason.map_or_else(|| "NULL".to_string(), lit),
            lit(&operator()),
        ));
        statements
    }

    /// Removes the marker (the table stays, empty).
    pub fn unprotect_sql(&self) -> String {
        format!("DELETE FROM {}", self.qualified)
    }
}

/// Runs `statements` one by one.
pub(super) async fn execute_all(
    conn: &mut Connection,
    statements: &[String],
    action: &str,
) -> Result<(), DbError> {
    for sql in statements {
        crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql(AssertSqlSafe(sql.clone())).execute(c).await.map(|_| ())
        })
        .map_err(|err| query_error(action, &err))?;
    }
    Ok(())
}

/// The database's own name as the server reports it: `current_database()` on
/// PostgreSQL, `DATABASE()` on MySQL, the main file's name on SQLite (`memory` for an
/// in-memory database).
pub async fn database_name(conn: &mut Connection) -> Result<String, DbError> {
    let action = "reading the database name";
    match conn {
        Connection::Postgres(pg) => sqlx::query_scalar("SELECT current_database()")
            .persistent(false)
            .fetch_one(pg)
            .await
            .map_err(|err| query_error(action, &err)),
        Connection::Mysql(my) => sqlx::query_scalar::<_, Option<String>>("SELECT DATABASE()")
            .persistent(false)
            .fetch_one(my)
            .await
            .map(Option::unwrap_or_default)
            .map_err(|err| query_error(action, &err)),
        Connection::Sqlite(lite) => {
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .persistent(false)
                    .fetch_one(lite)
                    .await
                    .map_err(|err| query_error(action, &err))?;
            Ok(std::path::Path::new(&file)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "memory".into()))
        }
    }
}
