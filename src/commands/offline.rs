//! Offline mode (`--sql`): the plan rendered as SQL text by the shared executor, with
//! Alembic's rules for where the plan starts (`from:to` ranges). Synchronous: the
//! offline sink never waits, so no async runtime is needed.

use crate::execute::{render_ensure_version, render_offline};
use crate::revision::plan;

use super::{Error, Project};

/// Splits `from:to`; `None` when the argument is not a range.
fn split_range(arg: &str) -> Option<(&str, &str)> {
    arg.split_once(':')
}

/// The version rows an offline run starts from: the resolved `from` side of a range,
/// nothing for `base` or no range.
fn start_heads(project: &Project, from: Option<&str>) -> Result<Vec<String>, Error> {
    match from {
        None | Some("base") | Some("") => Ok(vec![]),
        Some(spec) => Ok(project
            .map
            .get_revisions(spec)
            .map_err(|e| Error::Command(e.into_command()))?
            .iter()
            .map(|r| r.id().to_string())
            .collect()),
    }
}

/// The `--sql` text of `plan`.
fn render(project: &Project, plan: plan::Plan<'_>) -> Result<String, Error> {
    let dialect = project.config.dialect()?;
    let sql = render_offline(dialect, &project.config.exec, &plan)
        .map_err(|e| Error::Plan(e.to_string()))?;
    Ok(sql)
}

/// `mig upgrade [from:]to --sql`.
pub fn upgrade(project: &Project, arg: &str) -> Result<String, Error> {
    let (from, to) = match split_range(arg) {
        Some((f, t)) => (Some(f), t),
        None => (None, arg),
    };
    let heads = start_heads(project, from)?;
    let plan = plan::upgrade(&project.map, &heads, to)?;
    render(project, plan)
}

/// `mig downgrade from:to --sql` (Alembic requires the range offline).
pub fn downgrade(project: &Project, arg: &str) -> Result<String, Error> {
    let Some((from, to)) = split_range(arg) else {
        return Err(Error::Usage(
            "downgrade with --sql requires <fromrev>:<torev>".into(),
        ));
    };
    let heads = start_heads(project, Some(from))?;
    let plan = plan::downgrade(&project.map, &heads, to)?;
    render(project, plan)
}

/// `mig stamp REV... --sql` (`--purge` is refused offline, as by Alembic).
pub fn stamp(project: &Project, revs: &[String], purge: bool) -> Result<String, Error> {
    if purge {
        return Err(Error::Usage("Can't use --purge with --sql mode".into()));
    }
    // A single `from:to` argument starts the stamp from `from`.
    let (heads, targets) = match revs {
        [one] if one.contains(':') => {
            let (from, to) = split_range(one).unwrap_or(("", one));
            (start_heads(project, Some(from))?, vec![to.to_string()])
        }
        _ => (vec![], revs.to_vec()),
    };
    let plan = plan::stamp(&project.map, &heads, &targets, false)?;
    render(project, plan)
}

/// `mig ensure-version --sql`: the version table's DDL as Alembic renders it, after
/// mig's schema and `search_path` lines when configured (the executor's run of an empty
/// plan from base).
pub fn ensure_version(project: &Project) -> Result<String, Error> {
    let dialect = project.config.dialect()?;
    Ok(render_ensure_version(dialect, &project.config.exec))
}
