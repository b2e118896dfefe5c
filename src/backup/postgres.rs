//! PostgreSQL backups: `pg_dump --format=directory` of schema and data, taken in a
//! snapshot exported from mig's own session, so the manifest's row counts and digests
//! (read with `COPY ... TO STDOUT` in that same snapshot) describe exactly the dumped
//! data. Verification reads the dump back with `pg_restore --data-only` and digests
//! its `COPY` blocks again.

use std::collections::BTreeMap;
use std::future::poll_fn;
use std::path::Path;
use std::pin::Pin;
use std::process::Command;

use futures_core::Stream;
use sqlx::postgres::PgConnection;
use sqlx::AssertSqlSafe;

use super::digest::RowDigest;
use super::manifest::TableEntry;
use super::BackupError;
use crate::db::query_error;
use crate::provision::binaries::locate_client;
use crate::url::{redact, DatabaseUrl, Secret};

/// The data directory inside the backup directory.
pub(super) const DATA_DIR: &str = "data";

/// Rows and digest per `(schema, name)`, as read back from a dump.
pub(super) type ReadBack = BTreeMap<(String, String), (u64, String)>;

/// A table as the dump names it.
struct Table {
    schema: String,
    name: String,
    /// `quote_ident(schema).quote_ident(name)`, as in pg_dump's `COPY` lines.
    quoted: String,
}

const TABLES_SQL: &str = "\
SELECT n.nspname::text, c.relname::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2";

async fn exec(pg: &mut PgConnection, sql: &str) -> Result<(), BackupError> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(pg)
        .await
        .map(|_| ())
        .map_err(|err| query_error(&format!("running `{sql}`"), &err).into())
}

/// The server's version text and major version.
pub(super) async fn server_version(pg: &mut PgConnection) -> Result<(String, u32), BackupError> {
    let (text, num): (String, String) = sqlx::query_as(
        "SELECT current_setting('server_version'), current_setting('server_version_num')",
    )
    .persistent(false)
    .fetch_one(pg)
    .await
    .map_err(|err| query_error("reading the server version", &err))?;
    let major = num.parse::<u32>().unwrap_or_default() / 10000;
    Ok((text, major))
}

/// Dumps the database at `url` into `dir/data` and digests every table, in one
/// snapshot.
pub(super) async fn dump(
    pg: &mut PgConnection,
    url: &DatabaseUrl,
    dir: &Path,
    server_major: u32,
) -> Result<Vec<TableEntry>, BackupError> {
    let Some((pg_dump, _)) = locate_client("pg_dump", server_major) else {
        return Err(BackupError::Tool(format!(
            "no `pg_dump` of major version {server_major} or later found in PATH, \
             `pg_config --bindir` or `/usr/lib/postgresql/*/bin`; install the PostgreSQL \
             {server_major} client programs"
        )));
    };
    exec(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let result = dump_in_snapshot(pg, url, dir, &pg_dump).await;
    let _ = exec(pg, "ROLLBACK").await;
    result
}

async fn dump_in_snapshot(
    pg: &mut PgConnection,
    url: &DatabaseUrl,
    dir: &Path,
    pg_dump: &Path,
) -> Result<Vec<TableEntry>, BackupError> {
    // pg_dump's own output settings, so `COPY` here renders values as in the dump.
    exec(pg, "SET LOCAL DateStyle = ISO").await?;
    exec(pg, "SET LOCAL IntervalStyle = postgres").await?;
    exec(pg, "SET LOCAL extra_float_digits = 3").await?;
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
        .persistent(false)
        .fetch_one(&mut *pg)
        .await
        .map_err(|err| query_error("exporting a snapshot", &err))?;
    let tables = tables(pg).await?;
    let data = dir.join(DATA_DIR);
    let mut command = tokio::process::Command::new(pg_dump);
    command
        .arg("--format=directory")
        .arg(format!("--file={}", data.display()))
        .arg(format!("--snapshot={snapshot}"))
        .arg("--no-password");
    libpq(command.as_std_mut(), url);
    // pg_dump runs while this transaction keeps the snapshot alive.
    let output = command
        .output()
        .await
        .map_err(|err| BackupError::Tool(format!("cannot run `{}`: {err}", pg_dump.display())))?;
    if !output.status.success() {
        return Err(BackupError::Tool(format!(
            "`{}` failed: {}",
            pg_dump.display(),
            redact(
                String::from_utf8_lossy(&output.stderr).trim(),
                url.password().map(Secret::expose).as_slice()
            )
        )));
    }
    let mut entries = Vec::with_capacity(tables.len());
    for table in tables {
        let mut digest = RowDigest::default();
        let statement = format!("COPY {} TO STDOUT", table.quoted);
        let mut stream = pg
            .copy_out_raw(&statement)
            .await
            .map_err(|err| query_error(&format!("reading `{}`", table.quoted), &err))?;
        while let Some(chunk) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
            let chunk =
                chunk.map_err(|err| query_error(&format!("reading `{}`", table.quoted), &err))?;
            digest.feed(&chunk);
        }
        drop(stream);
        let (rows, sha256) = digest.finish();
        entries.push(TableEntry {
            schema: Some(table.schema),
            name: table.name,
            rows,
            sha256,
        });
    }
    Ok(entries)
}

async fn tables(pg: &mut PgConnection) -> Result<Vec<Table>, BackupError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(TABLES_SQL)
        .persistent(false)
        .fetch_all(pg)
        .await
        .map_err(|err| query_error("listing the tables", &err))?;
    Ok(rows
        .into_iter()
        .map(|(schema, name, quoted)| Table {
            schema,
            name,
            quoted,
        })
        .collect())
}

/// Reads `dir/data` back with `pg_restore --data-only` and digests every `COPY` block,
/// by `schema.name` as quoted in the dump.
pub(super) fn read_back(dir: &Path, server_major: u32) -> Result<ReadBack, BackupError> {
    let Some((pg_restore, _)) = locate_client("pg_restore", server_major) else {
        return Err(BackupError::Tool(format!(
            "no `pg_restore` of major version {server_major} or later found to verify the backup"
        )));
    };
    let output = Command::new(&pg_restore)
        .arg("--data-only")
        .arg("--file=-")
        .arg(dir.join(DATA_DIR))
        .output()
        .map_err(|err| {
            BackupError::Tool(format!("cannot run `{}`: {err}", pg_restore.display()))
        })?;
    if !output.status.success() {
        return Err(BackupError::Tool(format!(
            "`{}` cannot read the backup: {}",
            pg_restore.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(copy_blocks(&output.stdout))
}

/// The `COPY <table> (...) FROM stdin;` blocks of a SQL script: rows and digest per table.
fn copy_blocks(script: &[u8]) -> ReadBack {
    let mut found = BTreeMap::new();
    let mut current: Option<(String, RowDigest)> = None;
    for line in script.split(|&b| b == b'\n') {
        match current.take() {
            Some((table, digest)) if line == b"\\." => {
                found.insert(unquote_qualified(&table), digest.finish());
            }
            Some((table, mut digest)) => {
                digest.line(line);
                current = Some((table, digest));
            }
            None => {
                let text = String::from_utf8_lossy(line);
                if let Some(rest) = text.strip_prefix("COPY ") {
                    if text.ends_with(" FROM stdin;") {
                        let table = rest
                            .split(" (")
                            .next()
                            .unwrap_or(rest)
                            .trim_end_matches(" FROM stdin;")
                            .to_string();
                        current = Some((table, RowDigest::default()));
                    }
                }
            }
        }
    }
    found
}

/// `schema.name` as a dump quotes it (`"Odd"."T"`, `public.items`) -> its parts.
fn unquote_qualified(text: &str) -> (String, String) {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    let name = parts.pop().unwrap_or_default();
    (parts.pop().unwrap_or_default(), name)
}

/// Connection for libpq programs: the URL without its password on the command line
/// (the password goes in `PGPASSWORD`, never in argv).
fn libpq(command: &mut Command, url: &DatabaseUrl) {
    command.arg(format!("--dbname={}", url.without_password().to_sqlx_url()));
    if let Some(password) = url.password() {
        command.env("PGPASSWORD", password.expose());
    }
}

#[cfg(test)]
mod tests;
