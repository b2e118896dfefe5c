//! Running a reset: read the protection, the version table and the catalog on one
//! session; refuse what must be refused before touching anything; confirm through the
//! guard; take the migration lock; back up and verify; then drop or empty and upgrade
//! through the engine (PostgreSQL: one transaction), seed, and write one history row.

use std::time::Instant;

use super::prepare::prepare;
use super::strategy::strategy;
use super::{ResetError, ResetReport, ResetRequest, Strategy};
use crate::config::Config;
use crate::db::audit::{record_run, RunRecord};
use crate::db::history::HistoryKind;
use crate::engine::session::Session;
use crate::guard::{self, authorize};
use crate::revision::graph::RevisionMap;
use crate::seed::{Seed, SeedRequest};
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
    let mut record = RunRecord::start(HistoryKind::Reset);
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
