//! Reading the version table: whether it exists and which heads it records, on each
//! backend, and Alembic's one-row rule for the writes. Never creates or writes the table
//! (the live sink does, with the statements of [`crate::db::VersionSql`]).

use sqlx::AssertSqlSafe;

use super::connect::Connection;
use super::{query_error, DbError};
use crate::config::VersionTable;
use crate::db::VersionSql;
use crate::revision::plan::VersionOp;

/// The version table as found before a run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionState {
    /// Whether the table exists.
    pub exists: bool,
    /// Its rows (the current heads), in the order the database returns them, as Alembic
    /// reads them; empty when the table is missing.
    pub heads: Vec<String>,
}

/// Whether table `name` exists in `schema` (`None`: where an unqualified name resolves,
/// i.e. on PostgreSQL's `search_path`, SQLite's `main`, MySQL's current database).
pub async fn table_exists(
    conn: &mut Connection,
    schema: Option<&str>,
    name: &str,
) -> Result<bool, DbError> {
    let action = format!("looking for table `{}`", shown_name(schema, name));
    let found = match conn {
        Connection::Postgres(pg) => sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = $1 AND c.relkind IN ('r', 'p') \
             AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) \
             ELSE n.nspname = $2 END)",
        )
        .bind(name)
        .bind(schema)
        .persistent(false)
        .fetch_one(pg)
        .await
        .map_err(|err| query_error(&action, &err))?,
        Connection::Sqlite(lite) => {
            let catalog = crate::dialect::Dialect::Sqlite
                .qualified_name(Some(schema.unwrap_or("main")), "sqlite_master");
            let sql = format!(
                "SELECT COUNT(*) FROM {catalog} WHERE type = 'table' AND name = ?1 COLLATE NOCASE"
            );
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
                .bind(name)
                .persistent(false)
                .fetch_one(lite)
                .await
                .map_err(|err| query_error(&action, &err))?
                > 0
        }
        Connection::Mysql(my) => {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
            )
            .bind(schema)
            .bind(name)
            .persistent(false)
            .fetch_one(my)
            .await
            .map_err(|err| query_error(&action, &err))?
                > 0
        }
    };
    Ok(found)
}

/// Whether schema `schema` exists (PostgreSQL namespaces, MySQL databases; SQLite's
/// attached databases are taken to exist).
pub async fn schema_exists(conn: &mut Connection, schema: &str) -> Result<bool, DbError> {
    let action = format!("looking for schema `{schema}`");
    let found = match conn {
        Connection::Postgres(pg) => sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)",
        )
        .bind(schema)
        .persistent(false)
        .fetch_one(pg)
        .await
        .map_err(|err| query_error(&action, &err))?,
        Connection::Mysql(my) => {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
            )
            .bind(schema)
            .persistent(false)
            .fetch_one(my)
            .await
            .map_err(|err| query_error(&action, &err))?
                > 0
        }
        Connection::Sqlite(_) => true,
    };
    Ok(found)
}

/// Whether the version table exists, and its rows.
pub async fn read_state(
    conn: &mut Connection,
    table: &VersionTable,
) -> Result<VersionState, DbError> {
    if !table_exists(conn, table.schema.as_deref(), &table.table).await? {
        return Ok(VersionState::default());
    }
    let heads = read_heads(conn, table).await?;
    Ok(VersionState {
        exists: true,
        heads,
    })
}

/// The rows of the version table, which must exist (Alembic's `SELECT version_num`).
pub async fn read_heads(
    conn: &mut Connection,
    table: &VersionTable,
) -> Result<Vec<String>, DbError> {
    let qualified = VersionSql::new(conn.dialect(), table).table().to_string();
    let sql = format!("SELECT version_num FROM {qualified}");
    let action = format!("reading the version table `{qualified}`");
    let rows: Result<Vec<String>, sqlx::Error> = crate::on_connection!(conn, c => {
        sqlx::query_scalar(AssertSqlSafe(sql))
            .persistent(false)
            .fetch_all(c)
            .await
    });
    rows.map_err(|err| query_error(&action, &err))
}

/// Alembic's error when an `UPDATE` or `DELETE` of the version table does not touch
/// exactly one row (`None` when `found` is 1, or for writes Alembic does not check).
/// `table` is the table's name without schema, as Alembic shows it.
pub fn row_count_error(op: &VersionOp, table: &str, found: u64) -> Option<String> {
    if found == 1 {
        return None;
    }
    match op {
        VersionOp::Update { from, to } => Some(format!(
            "Online migration expected to match one row when updating '{from}' to '{to}' \
             in '{table}'; {found} found"
        )),
        VersionOp::Delete { version } => Some(format!(
            "Online migration expected to match one row when deleting '{version}' \
             in '{table}'; {found} found"
        )),
        VersionOp::Insert { .. } | VersionOp::DeleteAll => None,
    }
}

fn shown_name(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(schema) => format!("{schema}.{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests;
