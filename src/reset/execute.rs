//! Running a reset: read the protection, the version table and the catalog on one
//! session; refuse what must be refused before touching anything; confirm through the
//! guard; take the migration lock; back up and verify; then drop or empty and upgrade
//! through the engine (PostgreSQL: one transaction), seed, and write one history row.

use std::time::Instant;

use sqlx::AssertSqlSafe;

use super::plan::{drops, tables_to_empty, Bookkeeping, EmptyItem};
use super::{
    engine_message, BackupChoice, ResetError, ResetReport, ResetRequest, SeedChoice, Strategy,
};
use crate::catalog::{self, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::audit::{record_run, RunRecord};
use crate::db::history::Direction;
use crate::db::{
    begin_immediate, query_error, read_state, table_exists, Connection, DbError, HistoryTable,
};
use crate::engine::session::Session;
use crate::guard::{self, authorize};
use crate::revision::graph::RevisionMap;
use crate::revision::{plan, Downgrade};
use crate::seed::{Seed, SeedKind, SeedRequest, SEED_TABLE};
use crate::url::DatabaseUrl;

/// `mig reset`.
pub async fn run(
    config: &Config,
    map: &RevisionMap,
    seeds: &[Seed],
    request: &ResetRequest,
) -> Result<ResetReport, ResetError> {
    let url = config
        .database_url()
        .map_err(|e| ResetError::Refused(e.to_string()))?;
    let mut session = Session::open(&url, &config.exec).await?;
    let result = guarded(config, &url, map, seeds, request, &mut session).await;
    session.close().await;
    result
}

async fn guarded(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    seeds: &[Seed],
    request: &ResetRequest,
    session: &mut Session,
) -> Result<ResetReport, ResetError> {
    let started = Instant::now();
    let protection = guard::protection(&mut session.conn, &config.exec).await?;
    let mut report = prepare(
        config,
        map,
        seeds,
        request,
        &mut session.conn,
        &protection.database,
        request.dry_run,
    )
    .await?;
    if request.dry_run {
        report.duration_ms = elapsed(started);
        return Ok(report);
    }
    let action = format!("reset ({}) the database", request.strategy.as_str());
    authorize(&protection, &request.confirmation, &action).await?;
    let lock = session.lock(&config.exec).await?;
    let result = locked(config, url, map, seeds, request, session, report, started).await;
    session.unlock(lock, result).await
}

fn elapsed(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The refusals, then (with `full`) the plan with row counts: everything `--dry-run`
/// shows. A real run reads the plan only under the lock.
async fn prepare(
    config: &Config,
    map: &RevisionMap,
    seeds: &[Seed],
    request: &ResetRequest,
    conn: &mut Connection,
    database: &str,
    full: bool,
) -> Result<ResetReport, ResetError> {
    let state = read_state(conn, &config.exec.version_table).await?;
    let rebuild_all = request.strategy == Strategy::Rebuild && request.all;
    if !state.exists && !rebuild_all {
        return Err(ResetError::Refused(format!(
            "`{database}` has no version table `{}`: it is not a mig or Alembic database, so \
             mig does not know what the revisions own; nothing was changed. \
             `mig reset --strategy rebuild --all --dry-run` shows every object a reset would \
             drop, and `--strategy rebuild --all` drops them",
            config.exec.version_table.table
        )));
    }
    let applied: Vec<String> = if state.heads.is_empty() {
        Vec::new()
    } else {
        map.history(None, Some("current"), &state.heads)
            .map_err(|e| ResetError::Refused(e.to_string()))?
            .iter()
            .map(|r| r.id().to_string())
            .collect()
    };
    if request.strategy == Strategy::Downgrade {
        for id in &applied {
            if let Some(rev) = map.get(id) {
                if let Downgrade::Irreversible { line } = rev.revision().downgrade {
                    return Err(ResetError::Refused(format!(
                        "revision `{id}` ({}:{line}) is irreversible, so `--strategy downgrade` \
                         cannot go down to base; use `--strategy rebuild`; nothing was changed",
                        rev.revision().path.display()
                    )));
                }
            }
        }
    }
    let mut report = ResetReport {
        database: database.to_string(),
        strategy: request.strategy,
        dry_run: request.dry_run,
        ..ResetReport::default()
    };
    if !full {
        return Ok(report);
    }
    let snapshot = snapshot(config, conn).await?;
    match request.strategy {
        Strategy::Rebuild => {
            let keeps: Vec<_> = if state.exists {
                map.revisions()
                    .flat_map(|r| r.revision().downgrade_keeps.clone())
                    .collect()
            } else {
                Vec::new()
            };
            let bookkeeping = bookkeeping(config, conn, state.exists).await?;
            report.dropped = drops(&snapshot, &keeps, &bookkeeping);
            let targets: Vec<String> = report
                .dropped
                .iter()
                .filter_map(|d| d.count_target.clone())
                .collect();
            let mut rows = counts(conn, &targets).await?.into_iter();
            for item in &mut report.dropped {
                if item.count_target.is_some() {
                    item.rows = rows.next();
                }
            }
        }
        Strategy::Truncate => {
            let tables = tables_to_empty(&snapshot);
            let rows = counts(conn, &tables).await?;
            report.emptied = tables
                .into_iter()
                .zip(rows)
                .map(|(table, rows)| EmptyItem { table, rows })
                .collect();
        }
        Strategy::Downgrade => {
            report.reverted = applied.iter().rev().cloned().collect();
        }
    }
    if request.strategy != Strategy::Truncate {
        let up =
            plan::upgrade(map, &[], "heads").map_err(|e| ResetError::Refused(e.to_string()))?;
        report.applied = up.steps.iter().filter_map(|s| s.revision.clone()).collect();
    }
    report.seeds = chosen_seeds(seeds, request.seed);
    report.backup = match &request.backup {
        BackupChoice::Default => Some(crate::backup::default_path(config, database)),
        BackupChoice::Dir(dir) => Some(dir.clone()),
        BackupChoice::Skip => None,
    };
    Ok(report)
}

fn chosen_seeds(seeds: &[Seed], choice: SeedChoice) -> Vec<String> {
    seeds
        .iter()
        .filter(|s| match choice {
            SeedChoice::None => false,
            SeedChoice::Required => s.kind == SeedKind::Required,
            SeedChoice::All => true,
        })
        .map(|s| s.name.clone())
        .collect()
}

async fn snapshot(config: &Config, conn: &mut Connection) -> Result<Snapshot, ResetError> {
    let opts = SnapshotOptions::from_config(config)?;
    Ok(match conn {
        Connection::Postgres(pg) => catalog::snapshot_postgres(pg, &opts).await?,
        Connection::Sqlite(lite) => catalog::snapshot_sqlite(lite, &opts).await?,
        Connection::Mysql(_) => {
            return Err(ResetError::Refused(
                "`mig reset` does not support MySQL databases yet".into(),
            ))
        }
    })
}

/// The version, history and seed tables that exist.
async fn bookkeeping(
    config: &Config,
    conn: &mut Connection,
    version_exists: bool,
) -> Result<Bookkeeping, DbError> {
    let schema = config.exec.version_table.schema.clone();
    let mut tables = Vec::new();
    if version_exists {
        tables.push(config.exec.version_table.table.clone());
    }
    if let Some(history) = HistoryTable::new(conn.dialect(), &config.exec) {
        if history.exists(conn).await? {
            tables.push(config.exec.history_table.clone().unwrap_or_default());
        }
    }
    if table_exists(conn, schema.as_deref(), SEED_TABLE).await? {
        tables.push(SEED_TABLE.to_string());
    }
    Ok(Bookkeeping { schema, tables })
}

/// The exact row count of each table: one `count(*)` per table, sent as one
/// `UNION ALL` query per 200 tables.
async fn counts(conn: &mut Connection, tables: &[String]) -> Result<Vec<u64>, DbError> {
    let mut all = Vec::with_capacity(tables.len());
    for (chunk_index, chunk) in tables.chunks(200).enumerate() {
        let sql = chunk
            .iter()
            .enumerate()
            .map(|(i, table)| {
                format!("SELECT CAST({i} AS BIGINT) AS i, count(*) AS n FROM {table}")
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut rows: Vec<(i64, i64)> = crate::on_connection!(&mut *conn, c => {
            sqlx::query_as(AssertSqlSafe(sql)).fetch_all(c).await
        })
        .map_err(|err| {
            let first = chunk_index * 200;
            query_error(
                &format!(
                    "counting the rows of tables {}..{}",
                    first + 1,
                    first + chunk.len()
                ),
                &err,
            )
        })?;
        rows.sort_unstable();
        all.extend(
            rows.into_iter()
                .map(|(_, n)| u64::try_from(n).unwrap_or_default()),
        );
    }
    Ok(all)
}

async fn exec(conn: &mut Connection, sql: &str) -> Result<(), DbError> {
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

#[allow(clippy::too_many_arguments)]
async fn locked(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    seeds: &[Seed],
    request: &ResetRequest,
    session: &mut Session,
    mut report: ResetReport,
    started: Instant,
) -> Result<ResetReport, ResetError> {
    let mut record = RunRecord::start(Direction::Reset);
    // The plan is read again under the lock: another mig may have moved things since.
    report = ResetReport {
        dry_run: false,
        ..prepare(
            config,
            map,
            seeds,
            request,
            &mut session.conn,
            &report.database,
            true,
        )
        .await?
    };
    if let Some(path) = report.backup.clone() {
        let backup =
            crate::backup::take(&mut session.conn, config, url, &report.database, &path).await?;
        eprintln!("Backup written to {} and verified.", backup.path.display());
    }
    let outcome = strategy(config, url, map, request, session, &mut report).await;
    if let Err(message) = outcome {
        record.success = false;
        record.error = Some(message.lines().next().unwrap_or_default().to_string());
        record.summary = summary(&report);
        let state = if session.conn.dialect() == crate::dialect::Dialect::Postgresql
            && request.strategy != Strategy::Downgrade
        {
            "The reset ran in one transaction, which was rolled back: the database is as it \
             was before (the backup is kept)."
                .to_string()
        } else {
            "SQLite and `--strategy downgrade` commit step by step: see the message above for \
             what ran; the backup is kept."
                .to_string()
        };
        let _ = record_run(&mut session.conn, &config.exec, &record.finish()).await;
        return Err(ResetError::Failed { message, state });
    }
    if !report.seeds.is_empty() {
        let seed_request = SeedRequest {
            names: report.seeds.clone(),
            ..SeedRequest::default()
        };
        match crate::seed::run_locked(&mut session.conn, config, seeds, map, &seed_request).await {
            Ok(done) => report.seed_report = Some(done),
            Err(err) => {
                record.success = false;
                record.error = Some(err.to_string().lines().next().unwrap_or_default().into());
                record.summary = summary(&report);
                let _ = record_run(&mut session.conn, &config.exec, &record.finish()).await;
                return Err(err.into());
            }
        }
    }
    report.duration_ms = elapsed(started);
    record.summary = summary(&report);
    record_run(&mut session.conn, &config.exec, &record.finish()).await?;
    Ok(report)
}

/// `strategy rebuild: dropped 12 objects (5 tables, 42 rows); applied 3 revisions;
/// seeded a, b; backup: PATH`.
fn summary(report: &ResetReport) -> String {
    let mut parts = vec![format!("strategy {}", report.strategy.as_str())];
    if !report.dropped.is_empty() {
        let rows: u64 = report.dropped.iter().filter_map(|d| d.rows).sum();
        let tables = report.dropped.iter().filter(|d| d.rows.is_some()).count();
        parts.push(format!(
            "dropped {} objects ({tables} tables, {rows} rows)",
            report.dropped.len()
        ));
    }
    if !report.emptied.is_empty() {
        let rows: u64 = report.emptied.iter().map(|e| e.rows).sum();
        parts.push(format!(
            "emptied {} tables ({rows} rows)",
            report.emptied.len()
        ));
    }
    if !report.reverted.is_empty() {
        parts.push(format!("reverted {} revisions", report.reverted.len()));
    }
    if !report.applied.is_empty() {
        parts.push(format!("applied {} revisions", report.applied.len()));
    }
    if !report.seeds.is_empty() {
        parts.push(format!("seeded {}", report.seeds.join(", ")));
    }
    match &report.backup {
        Some(path) => parts.push(format!("backup: {}", path.display())),
        None => parts.push("no backup (--no-backup)".into()),
    }
    parts.join("; ")
}

/// Runs the strategy; an error is the message of what failed.
async fn strategy(
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
