//! SQLite backups: `VACUUM INTO` a file in the backup directory; digests of every table
//! from `quote()` of each column, read from the live database and again from the copy.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;

use super::digest::RowDigest;
use super::manifest::TableEntry;
use super::BackupError;
use crate::db::{connect_sqlite, query_error, SqliteLocation};
use crate::dialect::Dialect;

/// The database file inside the backup directory.
pub(super) const DATA_FILE: &str = "database.sqlite";

/// Copies the database into `dir/database.sqlite`.
pub(super) async fn vacuum_into(
    lite: &mut SqliteConnection,
    dir: &Path,
) -> Result<(), BackupError> {
    let target = dir.join(DATA_FILE);
    let sql = format!(
        "VACUUM INTO {}",
        Dialect::Sqlite.string_literal(&target.display().to_string())
    );
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(lite)
        .await
        .map(|_| ())
        .map_err(|err| {
            query_error(
                &format!("copying the database into `{}`", target.display()),
                &err,
            )
            .into()
        })
}

/// Row count and digest of every table (not `sqlite_*`), by name.
pub(super) async fn digests(lite: &mut SqliteConnection) -> Result<Vec<TableEntry>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    ).persistent(false)
    .fetch_all(&mut *lite)
    .await
    .map_err(|err| query_error("listing the tables", &err))?;
    let mut entries = Vec::with_capacity(names.len());
    for name in names {
        let quoted = Dialect::Sqlite.quote_identifier(&name).into_owned();
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .persistent(false)
                .bind(&name)
                .fetch_all(&mut *lite)
                .await
                .map_err(|err| query_error(&format!("reading the columns of `{name}`"), &err))?;
        let row = columns
            .iter()
            .map(|c| format!("quote({})", Dialect::Sqlite.quote_identifier(c)))
            .collect::<Vec<_>>()
            .join(" || char(9) || ");
        let row = if row.is_empty() {
            "''".to_string()
        } else {
            row
        };
        let sql = format!("SELECT {row} FROM {quoted}");
        let lines: Vec<Vec<u8>> = sqlx::query_scalar(AssertSqlSafe(sql))
            .persistent(false)
            .fetch_all(&mut *lite)
            .await
            .map_err(|err| query_error(&format!("reading `{name}`"), &err))?;
        let mut digest = RowDigest::default();
        for line in &lines {
            digest.line(line);
        }
        let (rows, sha256) = digest.finish();
        entries.push(TableEntry {
            schema: None,
            name,
            rows,
            sha256,
        });
    }
    Ok(entries)
}

/// The digests of the copy in `dir`.
pub(super) async fn read_back(dir: &Path) -> Result<Vec<TableEntry>, BackupError> {
    let location = SqliteLocation::File(dir.join(DATA_FILE));
    let mut conn = connect_sqlite(&location, Duration::from_secs(5)).await?;
    let result = digests(&mut conn).await;
    let _ = sqlx::Connection::close(conn).await;
    result
}
