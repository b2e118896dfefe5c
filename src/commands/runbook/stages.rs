//! The runbook's stages as records. The verifier's [`Stages`] run `upgrade heads`,
//! `downgrade base` and `upgrade heads` again through the online engine and snapshot the
//! catalog after each; here each becomes a [`Stage`] with its steps (Alembic's log line,
//! times, statement counts, what a failure committed or rolled back) and the state after
//! it (objects by kind from the verifier's snapshot, the version table as the observer
//! connection sees it). The judgements over the snapshots are the verifier's
//! ([`Stages::residue`], [`Stages::again`]), rendered as checks. Failures are recorded,
//! never raised: a failed stage stops the ones after it.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Target;
use crate::catalog::Snapshot;
use crate::config::Config;
use crate::db::{read_state, table_exists, VersionState};
use crate::engine::{EngineError, Outcome};
use crate::revision::graph::{CommandError, RevisionMap};
use crate::roundtrip::{Move, Stages};
use crate::runbook::probe::{self, Observer};
use crate::runbook::roundtrip_evidence;
use crate::runbook::{Evidence, Fatal, Mark, Stage, StageState, StepRecord};

/// One stage as run: the record, the snapshot after it, the engine's outcome when it
/// succeeded, and the failure that stopped it.
pub struct StageRun {
    pub stage: Stage,
    pub snapshot: Option<Snapshot>,
    pub outcome: Option<Outcome>,
    pub fatal: Option<Fatal>,
}

impl StageRun {
    /// A stage that did not run, for `why`.
    pub fn not_run(name: &str, command: String, why: String) -> StageRun {
        StageRun {
            stage: Stage {
                name: name.to_string(),
                command,
                status: Mark::NotRun,
                detail: why,
                started_at: None,
                duration_ms: None,
                steps: Vec::new(),
                state: None,
            },
            snapshot: None,
            outcome: None,
            fatal: None,
        }
    }

    /// A stage that ran (or started to), before its outcome is recorded.
    pub fn started(name: &str, command: String, at: DateTime<Utc>, took: Duration) -> StageRun {
        let mut run = StageRun::not_run(name, command, String::new());
        run.stage.status = Mark::Fail;
        run.stage.started_at = Some(timestamp(at));
        run.stage.duration_ms = Some(millis(took));
        run
    }
}

/// The stage-level roundtrip checks.
pub const DOWN_TITLE: &str = "downgrade to base leaves only the declared keeps";
pub const UP_TITLE: &str = "upgrading again gives the same catalog as the first upgrade";

/// The database before any stage.
pub async fn start(target: &Target<'_>, stages: &Stages<'_>, observer: &mut Observer) -> StageRun {
    let mut run = StageRun::not_run("start", String::new(), "the target before any stage".into());
    run.stage.status = Mark::Info;
    record_state(target, stages, observer, &mut run, false).await;
    run
}

/// Runs one stage through the verifier's driver and records the state after it.
pub async fn run(
    target: &Target<'_>,
    stages: &Stages<'_>,
    observer: &mut Observer,
    stage: &Move,
) -> StageRun {
    let moved = stages.run(stage).await;
    let mut run = StageRun::started(
        stage.name,
        stage.command(),
        moved.started_at,
        moved.duration,
    );
    match moved.result {
        Ok(outcome) => {
            succeeded(&mut run.stage, &outcome, target.map);
            run.outcome = Some(outcome);
        }
        Err(err) => {
            let code = err.exit_code();
            failed(&mut run.stage, err);
            run.fatal = Some(Fatal {
                at: format!("stage `{}`", stage.name),
                message: run.stage.detail.clone(),
                exit_code: code,
            });
        }
    }
    let succeeded = run.fatal.is_none();
    record_state(target, stages, observer, &mut run, succeeded).await;
    run
}

fn succeeded(stage: &mut Stage, outcome: &Outcome, map: &RevisionMap) {
    stage.steps = outcome
        .steps
        .iter()
        .map(|step| StepRecord {
            step: with_message(&step.log, step.revision.as_deref(), map),
            status: Mark::Pass,
            started_at: Some(timestamp(step.started_at)),
            duration_ms: Some(millis(step.duration)),
            statements: Some(step.statements),
            note: None,
        })
        .collect();
    stage.status = Mark::Pass;
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
    stage.status = Mark::Fail;
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
                    Mark::Pass,
                    "ran and was committed before the failure",
                ));
            }
            for step in &failure.rolled_back {
                if Some(step) != failure.step.as_ref() {
                    stage.steps.push(record(
                        step,
                        Mark::Warn,
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
                stage.steps.push(record(step, Mark::Fail, &why));
            }
            stage.detail = failure.message.clone();
        }
        other => stage.detail = other.to_string(),
    }
}

/// Snapshots the target (through the verifier) and reads the version table on the
/// observer into `run` (judged only after a stage that succeeded). A failure to look is
/// a database failure of its own.
pub(super) async fn record_state(
    target: &Target<'_>,
    stages: &Stages<'_>,
    observer: &mut Observer,
    run: &mut StageRun,
    expect_table: bool,
) {
    match look(target, stages, observer, expect_table).await {
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
            run.stage.status = Mark::Fail;
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
    stages: &Stages<'_>,
    observer: &mut Observer,
    expect_table: bool,
) -> Result<(Snapshot, StageState), String> {
    let snapshot = stages.snapshot().await.map_err(|e| e.to_string())?;
    let objects = snapshot
        .counts()
        .into_iter()
        .map(|(kind, n)| (kind.as_str().to_string(), n))
        .collect();
    let table = &target.config.exec.version_table;
    let version = read_version_table(observer, table).await?;
    let version_table = version_table_check(target.config, observer, expect_table).await?;
    Ok((
        snapshot,
        StageState {
            objects,
            version_table,
            version_rows: version.heads,
        },
    ))
}

/// The version table's rows, read as a migration reads them.
async fn read_version_table(
    observer: &mut Observer,
    table: &crate::config::VersionTable,
) -> Result<VersionState, String> {
    observer.begin_read().await.map_err(|e| e.to_string())?;
    let state = read_state(&mut observer.conn, table).await;
    let ended = observer.end_read().await;
    let state = state.map_err(|e| e.to_string())?;
    ended.map_err(|e| e.to_string())?;
    Ok(state)
}

/// Where the version table is, judged against `version_table_schema` (or, without one,
/// where an unqualified name resolves), with the catalog query as evidence.
async fn version_table_check(
    config: &Config,
    observer: &mut Observer,
    expect_table: bool,
) -> Result<Evidence, String> {
    let table = &config.exec.version_table;
    let query = probe::version_table_query(&observer.conn, &table.table);
    let rows = probe::text_rows(observer, &query).await?;
    let found: Vec<String> = rows
        .iter()
        .filter_map(|row| row.first().cloned().flatten())
        .collect();
    observer.begin_read().await.map_err(|e| e.to_string())?;
    let exists = table_exists(&mut observer.conn, table.schema.as_deref(), &table.table).await;
    let ended = observer.end_read().await;
    let exists = exists.map_err(|e| e.to_string())?;
    ended.map_err(|e| e.to_string())?;
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
        Evidence::judged(title, exists, seen).with_expected(wanted)
    } else {
        Evidence::info(title, seen)
    };
    Ok(check.with_query(query).with_rows(rows))
}

/// The roundtrip judgements over the stages' snapshots: `start`, after `upgrade heads`,
/// after `downgrade base`, after `upgrade heads again` (missing where a stage failed).
pub fn stage_checks(stages: &Stages<'_>, runs: &[StageRun]) -> Vec<Evidence> {
    let snap = |i: usize| runs.get(i).and_then(|r| r.snapshot.as_ref());
    let outcome = |i: usize| runs.get(i).and_then(|r| r.outcome.as_ref());
    let mut checks = Vec::new();
    match (snap(0), snap(2), outcome(2)) {
        (Some(start), Some(base), Some(reverted)) => checks.push(
            roundtrip_evidence::residue_check(DOWN_TITLE, &stages.residue(start, base, reverted)),
        ),
        _ => checks.push(Evidence::not_run(
            DOWN_TITLE,
            "the downgrade to base did not complete",
        )),
    }
    match (snap(1), snap(3), outcome(3)) {
        (Some(first), Some(again), Some(_)) => checks.push(roundtrip_evidence::again_check(
            UP_TITLE,
            first.objects.len(),
            &stages.again(first, again),
        )),
        _ => checks.push(Evidence::not_run(
            UP_TITLE,
            "the second upgrade did not complete",
        )),
    }
    checks
}

pub(super) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(super) fn millis(duration: std::time::Duration) -> f64 {
    (duration.as_secs_f64() * 10_000.0).round() / 10.0
}
