//! Running a strategy on the locked session: the drops and `upgrade heads` (one
//! transaction on PostgreSQL), the `TRUNCATE` or SQLite's `DELETE`s in foreign-key order,
//! or `downgrade base` and `upgrade heads`, all through the engine.

use sqlx::AssertSqlSafe;

use super::{engine_message, ResetReport, ResetRequest, Strategy};
use crate::config::Config;
use crate::db::{begin_immediate, query_error, table_exists, Connection, DbError};
use crate::engine::session::Session;
use crate::revision::graph::RevisionMap;
use crate::revision::plan;
use crate::url::DatabaseUrl;

pub(super) async fn exec(conn: &mut Connection, sql: &str) -> Result<(), DbError> {
    crate::on_connection!(&mut *conn, c => {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(c).await.map(|_| ())
    })
    .map_err(|err| query_error(&format!("running `{sql}`"), &err))
}

async fn begin(conn: &mut Connection) -> Result<(), DbError> {
    match conn {
        Connection::Sqlite(lite) => begin_immediate(lite).await,
        other => exec(other, "BEGIN").await,
    }
}

async fn rollback(conn: &mut Connection) {
    let _ = exec(conn, "ROLLBACK").await;
}

/// Runs the strategy; an error is the message of what failed.
pub(super) async fn strategy(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    request: &ResetRequest,
    session: &mut Session,
    report: &mut ResetReport,
) -> Result<(), String> {
    let pg = session.conn.dialect() == crate::dialect::Dialect::Postgresql;
    let upgrade = |heads: &[String]| plan::upgrade(map, heads, "heads");
    match request.strategy {
        Strategy::Rebuild => {
            begin(&mut session.conn).await.map_err(|e| e.to_string())?;
            for item in &report.dropped {
                if let Err(err) = exec(&mut session.conn, &item.statement).await {
                    rollback(&mut session.conn).await;
                    return Err(err.to_string());
                }
            }
            if !pg {
                exec(&mut session.conn, "COMMIT")
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let result = crate::engine::apply_on(config, url, session, pg, map, upgrade).await;
            if result.is_err() && pg {
                rollback(&mut session.conn).await;
            }
            let outcome = result.map_err(|err| {
                let message = engine_message(err);
                if pg {
                    return message;
                }
                let dropped: Vec<&str> = report.dropped.iter().map(|d| d.object.as_str()).collect();
                format!(
                    "the drops were committed ({}), then `upgrade heads` failed: {message}",
                    dropped.join(", ")
                )
            })?;
            report.applied = outcome
                .steps
                .iter()
                .filter_map(|s| s.revision.clone())
                .collect();
        }
        Strategy::Truncate => {
            let tables: Vec<String> = report.emptied.iter().map(|e| e.table.clone()).collect();
            if tables.is_empty() {
                return Ok(());
            }
            begin(&mut session.conn).await.map_err(|e| e.to_string())?;
            let result = if pg {
                exec(
                    &mut session.conn,
                    &format!("TRUNCATE {} RESTART IDENTITY CASCADE", tables.join(", ")),
                )
                .await
            } else {
                sqlite_delete(&mut session.conn, &tables).await
            };
            match result {
                Ok(()) => exec(&mut session.conn, "COMMIT")
                    .await
                    .map_err(|e| e.to_string())?,
                Err(err) => {
                    rollback(&mut session.conn).await;
                    return Err(err.to_string());
                }
            }
        }
        Strategy::Downgrade => {
            let down = |heads: &[String]| plan::downgrade(map, heads, "base");
            let outcome = crate::engine::apply_on(config, url, session, false, map, down)
                .await
                .map_err(engine_message)?;
            report.reverted = outcome
                .steps
                .iter()
                .filter_map(|s| s.revision.clone())
                .collect();
            let outcome = crate::engine::apply_on(config, url, session, false, map, upgrade)
                .await
                .map_err(engine_message)?;
            report.applied = outcome
                .steps
                .iter()
                .filter_map(|s| s.revision.clone())
                .collect();
        }
    }
    Ok(())
}

/// SQLite: `DELETE` from each table, a table before the tables it references, then the
/// `AUTOINCREMENT` counters of those tables reset.
async fn sqlite_delete(conn: &mut Connection, tables: &[String]) -> Result<(), DbError> {
    let Connection::Sqlite(lite) = conn else {
        return Ok(());
    };
    let unquote = |t: &str| t.trim_matches('"').replace("\"\"", "\"");
    let mut refs: Vec<(String, Vec<String>)> = Vec::new();
    for table in tables {
        let name = unquote(table);
        let parents: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)")
                .persistent(false)
                .bind(&name)
                .fetch_all(&mut *lite)
                .await
                .map_err(|err| {
                    query_error(&format!("reading the foreign keys of `{name}`"), &err)
                })?;
        refs.push((table.clone(), parents));
    }
    let mut ordered = Vec::new();
    while !refs.is_empty() {
        let referenced = |t: &str, all: &[(String, Vec<String>)]| {
            all.iter()
                .any(|(other, parents)| other != t && parents.iter().any(|p| *p == unquote(t)))
        };
        let pick = (0..refs.len())
            .find(|&i| !referenced(&refs[i].0, &refs))
            .unwrap_or(0);
        ordered.push(refs.remove(pick).0);
    }
    for table in &ordered {
        exec(conn, &format!("DELETE FROM {table}")).await?;
    }
    let has_sequence = table_exists(conn, None, "sqlite_sequence").await?;
    if has_sequence {
        let names: Vec<String> = ordered
            .iter()
            .map(|t| crate::dialect::Dialect::Sqlite.string_literal(&unquote(t)))
            .collect();
        exec(
            conn,
            &format!(
                "DELETE FROM sqlite_sequence WHERE name IN ({})",
                names.join(", ")
            ),
        )
        .await?;
    }
    Ok(())
}
