//! The reset's plan, read on the session: the refusals (no version table, an
//! irreversible revision in the way of `downgrade`), then from the catalog snapshot what
//! to drop or empty with exact row counts, the revisions and seeds that would run and
//! the backup that would be taken. Changes nothing.

use sqlx::AssertSqlSafe;

use super::plan::{drops, tables_to_empty, Bookkeeping, EmptyItem};
use super::{BackupChoice, ResetError, ResetReport, ResetRequest, SeedChoice, Strategy};
use crate::catalog::{self, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::{query_error, read_state, table_exists, Connection, DbError, HistoryTable};
use crate::revision::graph::RevisionMap;
use crate::revision::{plan, Downgrade};
use crate::seed::{Seed, SEED_TABLE};

/// The refusals, then (with `full`) the plan with row counts: everything `--dry-run`
/// shows. A real run reads the plan only under the lock.
pub(super) async fn prepare(
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
        report.applied = up.revisions().map(|r| r.id.clone()).collect();
    }
    report.seeds = chosen_seeds(seeds, request.seed);
    report.backup = match &request.backup {
        BackupChoice::Default => Some(
            crate::backup::default_path(config, database)
                .map_err(|e| ResetError::Refused(e.to_string()))?,
        ),
        BackupChoice::Dir(dir) => Some(dir.clone()),
        BackupChoice::Skip => None,
    };
    Ok(report)
}

fn chosen_seeds(seeds: &[Seed], choice: SeedChoice) -> Vec<String> {
    seeds
        .iter()
        .filter(|s| choice.selects(s.kind))
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
            sqlx::query_as(AssertSqlSafe(sql)).persistent(false).fetch_all(c).await
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
