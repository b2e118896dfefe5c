//! Interrupted steps (SPEC section 13): reading them under the migration lock, saying
//! them in words, refusing a plain run past one and checking that `upgrade --resume` may
//! continue one. The progress rows themselves are written by the live sink.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::db::history::{section_checksum, InterruptedStep};
use crate::db::{Connection, DbError, HistoryTable};
use crate::execute::{Resume, StepInProgress};
use crate::revision::graph::RevisionMap;
use crate::revision::plan::{Plan, StepKind};

/// What a run does about interrupted steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unfinished {
    /// `upgrade`, `downgrade`: refuse to run past one (exit 3).
    #[default]
    Refuse,
    /// `upgrade --resume`: continue the interrupted step.
    Resume,
    /// `stamp`, `ensure-version`: version-table writes only; go ahead.
    Ignore,
}

/// An interrupted step with its revision file, as `status`, `current`, `check` and
/// `upgrade` say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted {
    pub step: InterruptedStep,
    /// The revision's file (relative to the project directory when inside it), when
    /// the project knows the revision.
    pub path: Option<PathBuf>,
}

impl Interrupted {
    /// `step` with the file of its revision in `map`, shown relative to `base` (the
    /// directory of `alembic.ini`).
    pub fn new(step: InterruptedStep, map: &RevisionMap, base: &Path) -> Interrupted {
        let path = map
            .get(&step.revision)
            .map(|r| shown_path(&r.revision().path, base));
        Interrupted { step, path }
    }
}

/// `path` relative to `base` when inside it, else as it is.
pub fn shown_path(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

impl fmt::Display for Interrupted {
    /// `revision n2 (versions/n2.sql) was interrupted after statement 1 of 3 (line 12) at
    /// <UTC time> by <operator>; statements 1..1 are applied`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let step = &self.step;
        let p = &step.progress;
        if step.direction != "upgrade" {
            write!(f, "the {} of ", step.direction)?;
        }
        write!(f, "revision {}", step.revision)?;
        if let Some(path) = &self.path {
            write!(f, " ({})", path.display())?;
        }
        if p.done == 0 {
            write!(
                f,
                " was interrupted in statement 1 of {} (line {}) at {} by {}; no statement \
                 is known to be applied",
                p.total, p.line, step.recorded_at, step.operator
            )
        } else {
            write!(
                f,
                " was interrupted after statement {} of {} (line {}) at {} by {}; \
                 statements 1..{} are applied",
                p.done, p.total, p.line, step.recorded_at, step.operator, p.done
            )
        }
    }
}

/// What to do next, after [`Interrupted`]'s words.
pub fn advice(interrupted: &Interrupted) -> String {
    let rev = &interrupted.step.revision;
    format!(
        "run `mig upgrade --resume` to continue it, or repair it by hand and run \
         `mig resolve {rev} --applied|--reverted --reason TEXT`"
    )
}

/// Appended to the explanation of a failed step whose statements partly stay applied
/// (its progress row stays): what to run next.
pub(super) fn failure_note(step: &StepInProgress) -> String {
    let rev = step.revision.as_deref().unwrap_or_default();
    let resume = if step.kind == StepKind::Upgrade {
        "fix the cause and run `mig upgrade --resume`, or "
    } else {
        ""
    };
    format!(
        "\nthe step is recorded as interrupted: {resume}repair it by hand and run \
         `mig resolve {rev} --applied|--reverted --reason TEXT`"
    )
}

/// Adds the progress columns to an older history table and reads the interrupted steps
/// (none when the history table is disabled).
pub(super) async fn read(
    conn: &mut Connection,
    history: Option<&HistoryTable>,
    migrate_columns: bool,
) -> Result<Vec<InterruptedStep>, DbError> {
    let Some(table) = history else {
        return Ok(Vec::new());
    };
    if migrate_columns {
        table.add_missing_columns(conn).await?;
    }
    table.interrupted(conn).await
}

/// Decides, before the plan runs, what to do about `found`: nothing, a refusal (the
/// message), or the step to resume.
pub(super) fn decide(
    base: &Path,
    mode: Unfinished,
    found: &[InterruptedStep],
    plan: &Plan<'_>,
    map: &RevisionMap,
    heads: &[String],
) -> Result<Option<Resume>, String> {
    let described = |step: &InterruptedStep| Interrupted::new(step.clone(), map, base);
    match (mode, found) {
        (Unfinished::Ignore, _) | (_, []) => Ok(None),
        (Unfinished::Refuse, [first, ..]) => {
            let first = described(first);
            Err(format!("{first}; {}", advice(&first)))
        }
        (Unfinished::Resume, [step]) => resume(described(step), plan, map, heads).map(Some),
        (Unfinished::Resume, many) => Err(format!(
            "{} steps were interrupted ({}); resolve all but one with `mig resolve` first",
            many.len(),
            many.iter()
                .map(|s| described(s).to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

/// `--resume` continues `found` only when the database still matches what its run
/// recorded: the same version rows, and it is the plan's first step (a changed file is
/// only warned about).
fn resume(
    found: Interrupted,
    plan: &Plan<'_>,
    map: &RevisionMap,
    heads: &[String],
) -> Result<Resume, String> {
    let step = &found.step;
    let refuse = |why: String| Err(format!("cannot resume: {found}; {why}"));
    if step.direction != "upgrade" {
        return refuse(
            "`--resume` continues upgrades only; repair it by hand and run `mig resolve`".into(),
        );
    }
    let Some(revision) = map.get(&step.revision).map(|r| r.revision()) else {
        return refuse(format!(
            "revision `{}` is not in this project",
            step.revision
        ));
    };
    // A changed file is the usual case after a failed statement (fixed, then resumed):
    // warned about, not refused.
    if step.checksum.as_deref() != Some(section_checksum(&revision.upgrade).as_str()) {
        tracing::warn!(
            target: "mig",
            "`{}` changed since the interrupted run; statements 1..{} are taken as applied",
            revision.path.display(),
            step.progress.done
        );
    }
    let (mut now, mut then) = (heads.to_vec(), step.progress.version_rows.clone());
    now.sort();
    then.sort();
    if now != then {
        return refuse(format!(
            "the version table holds [{}], the interrupted run recorded [{}]",
            now.join(", "),
            then.join(", ")
        ));
    }
    let first = plan.steps.first();
    if !first.is_some_and(|s| {
        s.kind() == StepKind::Upgrade && s.revision().is_some_and(|r| r.id == revision.id)
    }) {
        return refuse("the target's plan does not start with that revision".into());
    }
    let started_at = DateTime::parse_from_rfc3339(&step.started_at)
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    tracing::info!(
        target: "mig",
        "Resuming revision {} at statement {} of {}",
        revision.id,
        step.progress.done + 1,
        step.progress.total
    );
    Ok(Resume {
        revision: revision.id.clone(),
        kind: StepKind::Upgrade,
        skip: usize::try_from(step.progress.done).unwrap_or(0),
        started_at,
    })
}

#[cfg(test)]
mod tests;
