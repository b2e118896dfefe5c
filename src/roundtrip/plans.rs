//! Plans the verifier needs beyond the CLI's: the revisions of a range in upgrade
//! order, exactly one revision down, and a downgrade cut short before an irreversible
//! revision. Pure: built on [`crate::revision::plan`], never touches a database.

use crate::revision::graph::{CommandError, RevisionMap};
use crate::revision::plan::{self, Plan};
use crate::revision::Downgrade;

/// The revisions `upgrade <to>` would run from `heads`, oldest first.
pub fn upgrade_order(
    map: &RevisionMap,
    heads: &[String],
    to: &str,
) -> Result<Vec<String>, CommandError> {
    Ok(plan::upgrade(map, heads, to)?
        .revisions()
        .map(|revision| revision.id.clone())
        .collect())
}

/// A plan that downgrades exactly `id` (back to its parents) from `heads`, or `None` when
/// no downgrade target undoes `id` alone.
///
/// Tries Alembic's branch-scoped targets first (`id@-1`, `id@<parent>`, `id@base`), which
/// leave other branches alone, then the plain parents; keeps the first plan whose only
/// step is `id`.
pub fn downgrade_one<'m>(map: &'m RevisionMap, heads: &[String], id: &str) -> Option<Plan<'m>> {
    let revision = map.get(id)?;
    let parents = revision.down_revisions();
    let mut targets = vec![format!("{id}@-1")];
    targets.extend(parents.iter().map(|p| format!("{id}@{p}")));
    targets.extend(parents.iter().map(|p| (*p).to_string()));
    if parents.is_empty() {
        targets.push(format!("{id}@base"));
        targets.push("base".to_string());
    }
    targets.into_iter().find_map(|target| {
        let plan = plan::downgrade(map, heads, &target).ok()?;
        let only =
            matches!(plan.steps.as_slice(), [step] if step.revision().is_some_and(|r| r.id == id));
        only.then_some(plan)
    })
}

/// Whether revision `id` needs revision `other` (descends from it through its parents or
/// dependencies); a revision does not need itself.
pub fn needs(map: &RevisionMap, id: &str, other: &str) -> bool {
    let mut stack = vec![id];
    let mut seen = std::collections::HashSet::new();
    while let Some(at) = stack.pop() {
        let Some(revision) = map.get(at) else {
            continue;
        };
        for parent in revision
            .down_revisions()
            .into_iter()
            .chain(revision.dependencies())
        {
            if parent == other {
                return true;
            }
            if seen.insert(parent) {
                stack.push(parent);
            }
        }
    }
    false
}

/// Whether revision `id` is marked `irreversible`.
pub fn is_irreversible(map: &RevisionMap, id: &str) -> bool {
    map.get(id)
        .is_some_and(|r| matches!(r.revision().downgrade, Downgrade::Irreversible { .. }))
}

/// `plan` without its first irreversible step and everything after it; the id of that
/// revision when the plan was cut. A prefix of a plan is a plan: each step's
/// version-table writes depend only on the steps before it.
pub fn until_irreversible<'m>(map: &RevisionMap, mut plan: Plan<'m>) -> (Plan<'m>, Option<String>) {
    let cut = plan.steps.iter().position(|step| {
        step.revision()
            .is_some_and(|revision| is_irreversible(map, &revision.id))
    });
    let Some(at) = cut else {
        return (plan, None);
    };
    let stopped = plan
        .steps
        .get(at)
        .and_then(|s| s.revision())
        .map(|r| r.id.clone());
    plan.steps.truncate(at);
    (plan, stopped)
}

#[cfg(test)]
mod tests;
