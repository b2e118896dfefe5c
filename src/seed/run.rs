//! Running seeds against a database: read the version table and `mig_seed` under the
//! migration lock, select what to run, run each selected seed in its own transaction
//! (statements split by the SQL splitter, rows counted per statement), record it in
//! `mig_seed` in that transaction, and write one history row per run. A dry run runs
//! the selection in one transaction that is rolled back and records nothing.

use std::time::Instant;

use chrono::Utc;
use sqlx::AssertSqlSafe;

use super::report::{ListEntry, SeedReport, SeedRun, StatementRows};
use super::select::{select, Facts, SeedRequest};
use super::table::SeedTable;
use super::{Seed, SeedError, SeedFailure, SeedGraph};
use crate::config::Config;
use crate::db::audit::{record_run, RunRecord};
use crate::db::history::{operator, HistoryKind};
use crate::db::{begin_immediate, query_error, Connection, DbError};
use crate::engine::session::Session;
use crate::revision::TransactionMode;
use crate::url::DatabaseUrl;

/// `mig seed --list`: every seed in run order with its state.
pub async fn list(
    config: &Config,
    url: &DatabaseUrl,
    seeds: &[Seed],
    graph: &dyn SeedGraph,
) -> Result<Vec<ListEntry>, SeedError> {
    let mut session = Session::open(url, &config.exec).await?;
    let facts = Facts::read(&mut session.conn, config, graph).await;
    session.close().await;
    let facts = facts?;
    Ok(seeds
        .iter()
        .enumerate()
        .map(|(i, seed)| ListEntry {
            order: i + 1,
            name: seed.name.clone(),
            kind: seed.kind,
            path: seed.path.clone(),
            state: facts.state(seed),
        })
        .collect())
}

/// `mig seed`: selects per `request`, then runs under the migration lock.
pub async fn run(
    config: &Config,
    url: &DatabaseUrl,
    seeds: &[Seed],
    graph: &dyn SeedGraph,
    request: &SeedRequest,
) -> Result<SeedReport, SeedError> {
    let settings = &config.exec;
    let mut session = Session::open(url, settings).await?;
    let result = match session.lock(settings).await {
        Ok(lock) => {
            let result = locked(&mut session.conn, config, seeds, graph, request).await;
            session.unlock(lock, result).await
        }
        Err(err) => Err(err.into()),
    };
    session.close().await;
    result
}

pub(crate) async fn locked(
    conn: &mut Connection,
    config: &Config,
    seeds: &[Seed],
    graph: &dyn SeedGraph,
    request: &SeedRequest,
) -> Result<SeedReport, SeedError> {
    let facts = Facts::read(conn, config, graph).await?;
    let selected = select(seeds, &facts, request)?;
    let table = SeedTable::new(conn.dialect(), &config.exec);
    let mut report = SeedReport {
        dry_run: request.dry_run,
        seeds: Vec::new(),
    };
    if request.dry_run {
        begin(conn).await?;
        for (seed, rerun) in selected {
            if seed.transaction == TransactionMode::None {
                report.seeds.push(skipped(seed, rerun));
                continue;
            }
            match run_statements(conn, seed, true, &[]).await {
                Ok(done) => report.seeds.push(done.with_rerun(rerun)),
                Err(failure) => {
                    rollback(conn).await;
                    return Err(SeedError::Failed(Box::new(failure)));
                }
            }
        }
        rollback(conn).await;
        return Ok(report);
    }
    if selected.is_empty() {
        return Ok(report);
    }
    let mut record = RunRecord::start(HistoryKind::Seed);
    for sql in table.create_sql() {
        execute(conn, &sql)
            .await
            .map_err(|err| query_error(&format!("creating `{}`", table.qualified), &err))?;
    }
    let mut applied: Vec<String> = Vec::new();
    for (seed, rerun) in selected {
        let transactional = seed.transaction != TransactionMode::None;
        if transactional {
            begin(conn).await?;
        }
        let outcome = match run_statements(conn, seed, false, &applied).await {
            Ok(done) => record_seed(conn, &table, seed, &done, transactional, &applied)
                .await
                .map(|()| done),
            Err(failure) => Err(failure),
        };
        match outcome {
            Ok(done) => {
                applied.push(seed.name.clone());
                report.seeds.push(done.with_rerun(rerun));
            }
            Err(failure) => {
                if transactional {
                    rollback(conn).await;
                }
                record.success = false;
                record.error = Some(
                    failure
                        .to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .into(),
                );
                record.summary = summary(&report, Some(&failure.seed));
                let mut failure = failure;
                if let Err(err) = record_run(conn, &config.exec, &record.finish()).await {
                    failure
                        .message
                        .push_str(&format!(" (the run could not be recorded: {err})"));
                }
                return Err(SeedError::Failed(Box::new(failure)));
            }
        }
    }
    record.summary = summary(&report, None);
    record_run(conn, &config.exec, &record.finish()).await?;
    Ok(report)
}

/// `seeded: a (3 rows), b (0 rows)`, and the seed that failed.
fn summary(report: &SeedReport, failed: Option<&str>) -> String {
    let done: Vec<String> = report
        .seeds
        .iter()
        .map(|s| format!("{} ({} rows)", s.name, s.rows))
        .collect();
    let mut text = format!(
        "seeded: {}",
        if done.is_empty() {
            "none".into()
        } else {
            done.join(", ")
        }
    );
    if let Some(name) = failed {
        text.push_str(&format!("; failed: {name} (rolled back)"));
    }
    text
}

fn skipped(seed: &Seed, rerun: bool) -> SeedRun {
    SeedRun {
        name: seed.name.clone(),
        kind: seed.kind,
        path: seed.path.clone(),
        rerun,
        statements: Vec::new(),
        rows: 0,
        duration_ms: 0,
        skipped: true,
    }
}

impl SeedRun {
    fn with_rerun(mut self, rerun: bool) -> SeedRun {
        self.rerun = rerun;
        self
    }
}

/// Runs the seed's statements one by one, counting rows; a failure is located.
async fn run_statements(
    conn: &mut Connection,
    seed: &Seed,
    dry_run: bool,
    applied_before: &[String],
) -> Result<SeedRun, SeedFailure> {
    let started = Instant::now();
    let dialect = conn.dialect();
    let fail = |statement: usize, statements: usize, line: usize, text: &str, message: String| {
        SeedFailure {
            seed: seed.name.clone(),
            path: seed.path.clone(),
            line,
            statement,
            statements,
            text: text.lines().next().unwrap_or_default().to_string(),
            message,
            transactional: seed.transaction != TransactionMode::None,
            dry_run,
            applied_before: applied_before.to_vec(),
        }
    };
    let statements = crate::sql::split_statements(&seed.body.sql, dialect)
        .map_err(|err| fail(0, 0, seed.body.line + err.line - 1, "", err.message.clone()))?;
    let count = statements.len();
    let mut rows_per = Vec::with_capacity(count);
    for (i, statement) in statements.iter().enumerate() {
        let line = seed.body.line + statement.line - 1;
        let rows = execute(conn, statement.text).await.map_err(|err| {
            let message = match query_error("", &err) {
                DbError::Query { message, .. } => message,
                other => other.to_string(),
            };
            fail(i + 1, count, line, statement.text, message)
        })?;
        rows_per.push(StatementRows {
            line,
            verb: verb(statement.text),
            rows,
        });
    }
    Ok(SeedRun {
        name: seed.name.clone(),
        kind: seed.kind,
        path: seed.path.clone(),
        rerun: false,
        rows: rows_per.iter().map(|s| s.rows).sum(),
        statements: rows_per,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        skipped: false,
    })
}

/// Writes the seed's `mig_seed` row and commits its transaction.
async fn record_seed(
    conn: &mut Connection,
    table: &SeedTable,
    seed: &Seed,
    done: &SeedRun,
    transactional: bool,
    applied_before: &[String],
) -> Result<(), SeedFailure> {
    let statements = table.record_sql(
        &seed.name,
        seed.kind.as_str(),
        &seed.checksum(),
        Utc::now(),
        i64::try_from(done.duration_ms).unwrap_or(i64::MAX),
        done.rows,
        &operator(),
    );
    let mut all: Vec<String> = statements.to_vec();
    if transactional {
        all.push("COMMIT".into());
    }
    for sql in all {
        if let Err(err) = execute(conn, &sql).await {
            return Err(SeedFailure {
                seed: seed.name.clone(),
                path: seed.path.clone(),
                line: seed.body.line,
                statement: 0,
                statements: done.statements.len(),
                text: format!("recording it in `{}`", table.qualified),
                message: crate::db::diagnose::sqlx_message(&err),
                transactional,
                dry_run: false,
                applied_before: applied_before.to_vec(),
            });
        }
    }
    Ok(())
}

fn verb(statement: &str) -> String {
    // Skip leading comments the splitter keeps at a statement's start.
    let code = statement
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("--"))
        .unwrap_or_default();
    code.split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
}

async fn execute(conn: &mut Connection, sql: &str) -> Result<u64, sqlx::Error> {
    crate::on_connection!(conn, c => {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(c).await.map(|r| r.rows_affected())
    })
}

async fn begin(conn: &mut Connection) -> Result<(), DbError> {
    match conn {
        Connection::Sqlite(lite) => begin_immediate(lite).await,
        other => execute(other, "BEGIN")
            .await
            .map(|_| ())
            .map_err(|err| query_error("opening the seed transaction", &err)),
    }
}

async fn rollback(conn: &mut Connection) {
    let _ = execute(conn, "ROLLBACK").await;
}
