//! The commands that connect: `upgrade`, `downgrade`, `stamp`, `current`,
//! `ensure-version`, `check`, `accept`, `resolve`, and `history -i`. Each resolves the
//! database URL (only here: offline commands never need it), plans from the heads the
//! engine reads under the migration lock, and returns what to print. A command that
//! changes nothing says so (`Already at head ...; nothing to do.`, INFO).

use crate::engine::{self, EngineError, Outcome, Resolution, Unfinished};
use crate::revision::graph::CommandError;
use crate::revision::plan;
use crate::revision::Revision;
use crate::url::DatabaseUrl;

use super::inspect::{self, LineStyle};
use super::{Error, Project};

fn url(project: &Project) -> Result<DatabaseUrl, Error> {
    Ok(project.config.database_url()?)
}

/// A planner's error is Alembic's command message (or, from `upgrade`'s drift check, the
/// refusal); everything else stays an engine error.
fn engine_error<E: Into<Error>>(err: EngineError<E>) -> Error {
    Error::Engine(Box::new(match err {
        EngineError::Plan(e) => return e.into(),
        EngineError::Database(e) => EngineError::Database(e),
        EngineError::Refused(e) => EngineError::Refused(e),
        EngineError::Apply(e) => EngineError::Apply(e),
        EngineError::Unfinished(e) => EngineError::Unfinished(e),
        EngineError::Resolve(e) => EngineError::Resolve(e),
        EngineError::Signal { code, failure } => EngineError::Signal { code, failure },
        EngineError::HistoryDisabled => EngineError::HistoryDisabled,
        EngineError::PoolerNonTransactional { revision, path } => {
            EngineError::PoolerNonTransactional { revision, path }
        }
    }))
}

fn plain(err: EngineError) -> Error {
    Error::Engine(Box::new(err))
}

fn no_range(target: &str) -> Result<(), Error> {
    if target.contains(':') {
        return Err(Error::Usage("Range revision not allowed".into()));
    }
    Ok(())
}

/// Revisions applied at `heads` (base up to the heads), for the checksum check.
fn applied<'p>(project: &'p Project, heads: &[String]) -> Result<Vec<&'p Revision>, CommandError> {
    if heads.is_empty() {
        return Ok(vec![]);
    }
    Ok(project
        .map
        .history(None, Some("current"), heads)?
        .into_iter()
        .map(|r| r.revision())
        .collect())
}

/// `mig upgrade TARGET`. Drift is a warning, or with `strict` a refusal (exit 1). With
/// `resume`, an interrupted step continues at its next statement.
pub async fn upgrade(
    project: &Project,
    target: &str,
    strict: bool,
    resume: bool,
) -> Result<Outcome, Error> {
    no_range(target)?;
    let url = url(project)?;
    // Judged on the upgrade's own session, under its lock, before it plans.
    let applied = |heads: &[String]| applied(project, heads).map_err(Error::Command);
    let mut judge = |drifted: Vec<engine::Drift>| {
        let list: Vec<String> = drifted.iter().map(|d| d.to_string()).collect();
        if strict {
            return Err(Error::CheckFailed(list));
        }
        for d in &list {
            tracing::warn!("{d}");
        }
        Ok(())
    };
    let check = engine::DriftCheck {
        applied: &applied,
        judge: &mut judge,
    };
    let planner =
        |heads: &[String]| plan::upgrade(&project.map, heads, target).map_err(Error::Command);
    let unfinished = if resume {
        Unfinished::Resume
    } else {
        Unfinished::Refuse
    };
    let outcome = engine::upgrade_checked(
        &project.config,
        &url,
        &project.map,
        unfinished,
        check,
        planner,
    )
    .await
    .map_err(engine_error)?;
    say_if_nothing_done(project, &outcome);
    Ok(outcome)
}

/// `Already at head X; nothing to do.` when a run had no step.
fn say_if_nothing_done(project: &Project, outcome: &Outcome) {
    if !outcome.steps.is_empty() {
        return;
    }
    let (have, heads) = rows_and_heads(project, &outcome.end_heads);
    let at = match have.as_slice() {
        [] => "base".to_string(),
        [one] if have == heads => format!("head {one}"),
        _ if have == heads => format!("heads {}", have.join(", ")),
        _ => have.join(", "),
    };
    tracing::info!(target: "mig", "Already at {at}; nothing to do.");
}

/// `mig downgrade TARGET`.
pub async fn downgrade(project: &Project, target: &str) -> Result<Outcome, Error> {
    no_range(target)?;
    let url = url(project)?;
    let outcome = engine::downgrade(&project.config, &url, &project.map, |heads| {
        plan::downgrade(&project.map, heads, target)
    })
    .await
    .map_err(engine_error)?;
    say_if_nothing_done(project, &outcome);
    Ok(outcome)
}

/// `mig stamp REV... [--purge]`.
pub async fn stamp(project: &Project, targets: &[String], purge: bool) -> Result<Outcome, Error> {
    let url = url(project)?;
    engine::stamp(&project.config, &url, &project.map, purge, |heads| {
        plan::stamp(&project.map, heads, targets, purge)
    })
    .await
    .map_err(engine_error)
}

/// `mig ensure-version`.
pub async fn ensure_version(project: &Project) -> Result<(), Error> {
    let url = url(project)?;
    engine::ensure_version(&project.config, &url)
        .await
        .map_err(plain)
}

/// The version table's rows (empty when it does not exist; never creates it).
pub async fn current_rows(project: &Project) -> Result<Vec<String>, Error> {
    let url = url(project)?;
    engine::current(&project.config, &url).await.map_err(plain)
}

/// `mig resolve REV --applied|--reverted --reason TEXT`.
pub async fn resolve(
    project: &Project,
    revision: &str,
    resolution: Resolution,
    reason: &str,
) -> Result<String, Error> {
    let id = project
        .map
        .get_revisions(revision)
        .map_err(|e| Error::Command(e.into_command()))?;
    let [rev] = id.as_slice() else {
        return Err(Error::Usage(format!(
            "`{revision}` names {} revisions; resolve one at a time",
            id.len()
        )));
    };
    let id = rev.id().to_string();
    let url = url(project)?;
    engine::resolve(
        &project.config,
        &url,
        &id,
        resolution,
        reason,
        |heads, kind| match kind {
            plan::StepKind::Downgrade => plan::downgrade(&project.map, heads, &format!("{id}-1")),
            _ => plan::upgrade(&project.map, heads, &id),
        },
    )
    .await
    .map_err(engine_error)
}

/// The version rows and the graph's heads, both sorted, for comparing.
fn rows_and_heads(project: &Project, rows: &[String]) -> (Vec<String>, Vec<String>) {
    let mut have = rows.to_vec();
    let mut heads: Vec<String> = project
        .map
        .heads()
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    have.sort_unstable();
    heads.sort_unstable();
    (have, heads)
}

/// `mig current [--verbose] [--check-heads]`, printed as Alembic prints it.
pub async fn current(
    project: &Project,
    verbose: bool,
    check_heads: bool,
    as_json: bool,
) -> Result<String, Error> {
    let look = super::status::look(project).await?;
    for found in &look.interrupted {
        tracing::warn!(target: "mig", "{found}");
    }
    let rows = look.recorded.heads;
    let revs = project.map.current(&rows)?;
    if check_heads {
        let (have, heads) = rows_and_heads(project, &rows);
        if heads != have {
            return Err(Error::CheckFailed(vec![
                "Database is not on all head revisions".into(),
            ]));
        }
    }
    if as_json {
        let list: Vec<_> = revs.iter().map(|r| inspect::json(r, true)).collect();
        return Ok(crate::json::pretty(&list));
    }
    let mut out = String::new();
    if verbose {
        out.push_str(&format!(
            "Current revision(s) for {}:\n",
            project.config.database_url()?
        ));
    }
    let style = LineStyle {
        tree_indicators: true,
        head_indicators: true,
        ..LineStyle::default()
    };
    for r in &revs {
        if verbose {
            out.push_str(&inspect::entry(r, false));
        } else {
            out.push_str(&inspect::line(r, style, false));
        }
        out.push('\n');
    }
    Ok(out)
}

/// `mig check`: the graph loaded (else we would not be here), the database is at the
/// heads, applied revisions are unchanged, naming conventions hold. The problems found,
/// one per entry; empty means all good.
pub async fn check(project: &Project) -> Result<Vec<String>, Error> {
    let look = super::status::look(project).await?;
    let mut problems: Vec<String> = look
        .interrupted
        .iter()
        .map(|found| format!("{found}; {}", engine::unfinished::advice(found)))
        .collect();
    let (have, heads) = rows_and_heads(project, &look.recorded.heads);
    if heads != have {
        problems.push(format!(
            "database is at [{}], the heads are [{}]: run `mig upgrade heads`",
            have.join(", "),
            heads.join(", ")
        ));
    }
    for d in &look.drift {
        problems.push(d.to_string());
    }
    problems.extend(super::verify_naming(project).await?);
    Ok(problems)
}

/// `mig accept REV --reason TEXT`: records the file's current checksum for `REV`.
pub async fn accept(project: &Project, spec: &str, reason: &str) -> Result<String, Error> {
    let revs = project
        .map
        .get_revisions(spec)
        .map_err(|e| Error::Command(e.into_command()))?;
    let [rev] = revs.as_slice() else {
        return Err(Error::Usage(format!(
            "`{spec}` names {} revisions; accept one at a time",
            revs.len()
        )));
    };
    let url = url(project)?;
    engine::accept(&project.config, &url, rev.revision(), reason)
        .await
        .map_err(plain)?;
    Ok(format!("Accepted the current checksum of {}\n", rev.id()))
}
