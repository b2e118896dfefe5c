//! The runbook's stages: `upgrade heads`, `downgrade base`, `upgrade heads` again through
//! the online engine, with the catalog snapshot and the version table after each, and the
//! roundtrip judgement over those snapshots (what the downgrade left behind beyond the
//! declared `Downgrade Keeps`, and whether upgrading again gives the same catalog).
//! Failures are recorded, never raised: a failed stage stops the ones after it.

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::Target;
use crate::catalog::{self, Kind, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::{read_state, table_exists, Connection};
use crate::diff::{diff, DiffOptions, Findings};
use crate::engine::{self, EngineError, Outcome};
use crate::revision::graph::{CommandError, RevisionMap};
use crate::revision::plan;
use crate::runbook::live;
use crate::runbook::{Check, Fatal, Stage, State, Status, StepRecord};

/// One stage as run: the record, the snapshot after it, and the failure that stopped it.
pub struct StageRun {
    pub stage: Stage,
    pub snapshot: Option<Snapshot>,
    pub fatal: Option<Fatal>,
}

/// Which way a stage moves.
#[derive(Clone, Copy)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

/// The three stages of the runbook's roundtrip, in order.
pub const STAGES: [(&str, Direction, &str); 3] = [
    ("upgrade heads", Direction::Upgrade, "heads"),
    ("downgrade base", Direction::Downgrade, "base"),
    ("upgrade heads again", Direction::Upgrade, "heads"),
];

/// The stage-level roundtrip checks.
pub const DOWN_TITLE: &str = "downgrade to base leaves only the declared keeps";
pub const UP_TITLE: &str = "upgrading again gives the same catalog as the first upgrade";

/// The database before any stage.
pub async fn start(target: &Target<'_>, observer: &mut Connection) -> StageRun {
    let mut run = StageRun {
        stage: Stage {
            name: "start".into(),
            command: String::new(),
            status: Status::Info,
            detail: "the target before any stage".into(),
            started_at: None,
            duration_ms: None,
            steps: Vec::new(),
            state: None,
        },
        snapshot: None,
        fatal: None,
    };
    record_state(target, observer, &mut run, false).await;
    run
}

/// Runs one stage through the engine and records the state after it.
pub async fn run(
    target: &Target<'_>,
    observer: &mut Connection,
    name: &str,
    direction: Direction,
    to: &str,
) -> StageRun {
    let verb = match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    let started = Utc::now();
    let clock = Instant::now();
    let map: &RevisionMap = target.map;
    let result = match direction {
        Direction::Upgrade => {
            engine::upgrade(target.config, target.url, map, |heads| {
                plan::upgrade(map, heads, to)
            })
            .await
        }
        Direction::Downgrade => {
            engine::downgrade(target.config, target.url, map, |heads| {
                plan::downgrade(map, heads, to)
            })
            .await
        }
    };
    let elapsed = clock.elapsed();
    let mut run = StageRun {
        stage: Stage {
            name: name.to_string(),
            command: format!("mig {verb} {to}"),
            status: Status::Fail,
            detail: String::new(),
            started_at: Some(timestamp(started)),
            duration_ms: Some(millis(elapsed)),
            steps: Vec::new(),
            state: None,
        },
        snapshot: None,
        fatal: None,
    };
    match result {
        Ok(outcome) => succeeded(&mut run.stage, &outcome, map),
        Err(err) => {
            let code = err.exit_code();
            failed(&mut run.stage, err);
            run.fatal = Some(Fatal {
                at: format!("stage `{name}`"),
                message: run.stage.detail.clone(),
                exit_code: code,
            });
        }
    }
    let succeeded = run.fatal.is_none();
    record_state(target, observer, &mut run, succeeded).await;
    run
}

fn succeeded(stage: &mut Stage, outcome: &Outcome, map: &RevisionMap) {
    stage.steps = outcome
        .steps
        .iter()
        .map(|step| StepRecord {
            step: with_message(&step.log, step.revision.as_deref(), map),
            status: Status::Pass,
            started_at: Some(timestamp(step.started_at)),
            duration_ms: Some(millis(step.duration)),
            statements: Some(step.statements),
            note: None,
        })
        .collect();
    stage.status = Status::Pass;
    let n = stage.steps.len();
    stage.detail = match n {
        0 => "nothing to do".into(),
        1 => "1 step ran".into(),
        _ => format!("{n} steps ran"),
    };
}

/// Alembic's log line: `upgrade a -> b, message`.
fn with_message(log: &str, revision: Option<&str>, map: &RevisionMap) -> String {
    match revision.and_then(|id| map.get(id)) {
        Some(r) if !r.revision().message.is_empty() => {
            format!("{log}, {}", r.revision().message)
        }
        _ => log.to_string(),
    }
}

fn failed(stage: &mut Stage, err: EngineError<CommandError>) {
    stage.status = Status::Fail;
    match err {
        EngineError::Apply(failure) => {
            let record = |step: &String, status, note: &str| StepRecord {
                step: step.clone(),
                status,
                started_at: None,
                duration_ms: None,
                statements: None,
                note: Some(note.to_string()),
            };
            for step in &failure.committed {
                stage.steps.push(record(
                    step,
                    Status::Pass,
                    "ran and was committed before the failure",
                ));
            }
            for step in &failure.rolled_back {
                if Some(step) != failure.step.as_ref() {
                    stage.steps.push(record(
                        step,
                        Status::Warn,
                        "ran, then rolled back with the failed step",
                    ));
                }
            }
            if let Some(step) = &failure.step {
                let why = failure
                    .statement
                    .as_ref()
                    .map(|s| format!("line {}, column {}: {}", s.line, s.column, s.server))
                    .unwrap_or_else(|| "failed".into());
                stage.steps.push(record(step, Status::Fail, &why));
            }
            stage.detail = failure.message.clone();
        }
        other => stage.detail = other.to_string(),
    }
}

/// Snapshots the target and reads the version table into `run` (judged only after a
/// stage that succeeded). A failure to look is a database failure of its own.
pub(super) async fn record_state(
    target: &Target<'_>,
    observer: &mut Connection,
    run: &mut StageRun,
    expect_table: bool,
) {
    match look(target, observer, expect_table).await {
        Ok((snapshot, state)) => {
            run.stage.state = Some(state);
            run.snapshot = Some(snapshot);
        }
        Err(message) => {
            if run.fatal.is_none() {
                run.fatal = Some(Fatal {
                    at: format!("the state after `{}`", run.stage.name),
                    message: message.clone(),
                    exit_code: 3,
                });
            }
            run.stage.status = Status::Fail;
            if !run.stage.detail.is_empty() {
                run.stage.detail.push('\n');
            }
            run.stage
                .detail
                .push_str(&format!("reading the state failed: {message}"));
        }
    }
}

async fn look(
    target: &Target<'_>,
    conn: &mut Connection,
    expect_table: bool,
) -> Result<(Snapshot, State), String> {
    let opts = SnapshotOptions::from_config(target.config).map_err(|e| e.to_string())?;
    let snapshot = match conn {
        Connection::Postgres(pg) => catalog::snapshot_postgres(pg, &opts).await,
        Connection::Sqlite(lite) => catalog::snapshot_sqlite(lite, &opts).await,
        Connection::Mysql(_) => return Err("MySQL catalogs are not supported yet".into()),
    }
    .map_err(|e| e.to_string())?;
    let objects = snapshot
        .counts()
        .into_iter()
        .map(|(kind, n)| (kind.as_str().to_string(), n))
        .collect();
    let table = &target.config.exec.version_table;
    let version = read_state(conn, table).await.map_err(|e| e.to_string())?;
    let version_table = version_table_check(target.config, conn, expect_table).await?;
    Ok((
        snapshot,
        State {
            objects,
            version_table,
            version_rows: version.heads,
        },
    ))
}

/// Where the version table is, judged against `version_table_schema` (or, without one,
/// where an unqualified name resolves), with the catalog query as evidence.
async fn version_table_check(
    config: &Config,
    conn: &mut Connection,
    expect_table: bool,
) -> Result<Check, String> {
    let table = &config.exec.version_table;
    let query = live::version_table_query(conn, &table.table);
    let rows = live::text_rows(conn, &query).await?;
    let found: Vec<String> = rows
        .iter()
        .filter_map(|row| row.first().cloned().flatten())
        .collect();
    let exists = table_exists(conn, table.schema.as_deref(), &table.table)
        .await
        .map_err(|e| e.to_string())?;
    let wanted = match &table.schema {
        Some(schema) => format!("`{schema}.{}`", table.table),
        None => format!("`{}` where unqualified names resolve", table.table),
    };
    let seen = if found.is_empty() {
        format!("no table `{}` in any schema", table.table)
    } else {
        format!(
            "table `{}` found in schema {}",
            table.table,
            found
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let title = "version table";
    let check = if expect_table {
        Check::judged(title, exists, seen).with_expected(wanted)
    } else {
        Check::info(title, seen)
    };
    Ok(check.with_query(query).with_rows(rows))
}

/// The roundtrip judgements over the stages' snapshots: `start`, after `upgrade heads`,
/// after `downgrade base`, after `upgrade heads again` (missing where a stage failed).
pub fn stage_checks(target: &Target<'_>, runs: &[StageRun]) -> Vec<Check> {
    let snap = |i: usize| runs.get(i).and_then(|r| r.snapshot.as_ref());
    let ran = |i: usize| runs.get(i).is_some_and(|r| r.fatal.is_none());
    let (down_title, up_title) = (DOWN_TITLE, UP_TITLE);
    let mut checks = Vec::new();
    match (snap(0), snap(2), ran(2)) {
        (Some(start), Some(base), true) => {
            checks.push(residue(target.map, start, base, down_title))
        }
        _ => checks.push(Check::not_run(
            down_title,
            "the downgrade to base did not complete",
        )),
    }
    match (snap(1), snap(3), ran(3)) {
        (Some(first), Some(again), true) => {
            let findings = diff(first, again, &DiffOptions::default());
            let check = if findings.is_empty() {
                Check::judged(
                    up_title,
                    true,
                    format!("{} objects, no difference", first.objects.len()),
                )
            } else {
                Check::judged(up_title, false, listed(&findings))
            };
            checks.push(check);
        }
        _ => checks.push(Check::not_run(
            up_title,
            "the second upgrade did not complete",
        )),
    }
    checks
}

fn residue(map: &RevisionMap, start: &Snapshot, base: &Snapshot, title: &str) -> Check {
    let keeps: Vec<(String, String)> = map
        .revisions()
        .flat_map(|r| r.revision().downgrade_keeps.iter())
        .map(|k| (k.kind.trim().to_lowercase(), k.name.trim().to_string()))
        .collect();
    let is_kept = |kind: Kind, id: &str, name: &str| {
        keeps
            .iter()
            .any(|(k, n)| Kind::from_name(k) == Some(kind) && (n == id || n == name))
    };
    let mut findings = diff(start, base, &DiffOptions::default());
    let mut accepted = Vec::new();
    findings.extra.retain(|object| {
        let name = base
            .get(object.kind, &object.id)
            .map(|o| o.name.as_str())
            .unwrap_or_default();
        let kept = is_kept(object.kind, &object.id, name);
        if kept {
            accepted.push(format!("{} {}", object.kind, object.id));
        }
        !kept
    });
    let mut problems = Vec::new();
    if !findings.is_empty() {
        problems.push(listed(&findings));
    }
    let mut declared: Vec<&(String, String)> = keeps.iter().collect();
    declared.sort();
    declared.dedup();
    for (kind, name) in declared {
        let present = Kind::from_name(kind)
            .is_some_and(|kind| base.of_kind(kind).any(|o| &o.id == name || &o.name == name));
        if !present {
            problems.push(format!("declared keep `{kind} {name}` is not left behind"));
        }
    }
    if problems.is_empty() {
        let kept = if accepted.is_empty() {
            "nothing left behind".to_string()
        } else {
            format!("left behind as declared: {}", accepted.join(", "))
        };
        Check::judged(title, true, kept)
    } else {
        Check::judged(title, false, problems.join("; "))
    }
}

fn listed(findings: &Findings) -> String {
    findings
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(super) fn millis(duration: std::time::Duration) -> f64 {
    (duration.as_secs_f64() * 10_000.0).round() / 10.0
}
