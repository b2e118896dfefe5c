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
        .steps
        .into_iter()
        .filter_map(|step| step.revision)
        .collect())
}

/// A plan that downgrades exactly `id` (back to its parents) from `heads`, or `None` when
/// no downgrade target undoes `id` alone.
///
/// Tries Alembic's branch-scoped targets first (`id@-1`, `id@<parent>`, `id@base`), which
/// leave other branches alone, then the plain parents; keeps the first plan whose only
/// step is `id`.
pub fn downgrade_one(map: &RevisionMap, heads: &[String], id: &str) -> Option<Plan> {
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
        let only = matches!(plan.steps.as_slice(), [step] if step.revision.as_deref() == Some(id));
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
pub fn until_irreversible(map: &RevisionMap, mut plan: Plan) -> (Plan, Option<String>) {
    let cut = plan.steps.iter().position(|step| {
        step.revision
            .as_deref()
            .is_some_and(|id| is_irreversible(map, id))
    });
    let Some(at) = cut else {
        return (plan, None);
    };
    let stopped = plan.steps.get(at).and_then(|s| s.revision.clone());
    plan.steps.truncate(at);
    (plan, stopped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::graph::fixture::{map, rev};

    fn heads(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn one(map: &RevisionMap, current: &[&str], id: &str) -> Option<(Vec<String>, String)> {
        let plan = downgrade_one(map, &heads(current), id)?;
        let ops = plan.steps.iter().map(|s| format!("{:?}", s.ops)).collect();
        Some((ops, plan.end_heads.join(",")))
    }

    fn graph() -> RevisionMap {
        map(vec![
            rev("a", &[]),
            rev("b1", &["a"]),
            rev("c1", &["a"]),
            rev("m", &["b1", "c1"]),
            rev("x", &[]),
        ])
    }

    #[test]
    fn downgrades_exactly_one_revision_on_any_layout() {
        let map = graph();
        assert_eq!(one(&map, &["b1"], "b1").unwrap().1, "a");
        // Two branches off `a`: the sibling stays, its row too.
        assert_eq!(one(&map, &["b1", "c1"], "c1").unwrap().1, "b1");
        assert_eq!(one(&map, &["b1", "c1"], "b1").unwrap().1, "c1");
        // A merge goes back to both parents.
        assert_eq!(one(&map, &["m"], "m").unwrap().1, "c1,b1");
        // A second base leaves the other tree alone.
        assert_eq!(one(&map, &["m", "x"], "x").unwrap().1, "m");
        assert_eq!(one(&map, &["a"], "a").unwrap().1, "");
        // Not applied: nothing undoes it alone.
        assert!(one(&map, &["a"], "m").is_none());
    }

    #[test]
    fn needs_follows_parents_across_merges() {
        let map = graph();
        assert!(needs(&map, "m", "a") && needs(&map, "m", "c1") && needs(&map, "b1", "a"));
        assert!(!needs(&map, "c1", "b1") && !needs(&map, "x", "a") && !needs(&map, "a", "a"));
    }

    #[test]
    fn upgrade_order_is_oldest_first_and_respects_the_start() {
        let map = graph();
        let all = upgrade_order(&map, &[], "heads").unwrap();
        assert_eq!(all.len(), 5);
        let pos = |id: &str| all.iter().position(|x| x == id).unwrap();
        assert!(pos("a") < pos("b1") && pos("b1") < pos("m") && pos("c1") < pos("m"));
        assert_eq!(upgrade_order(&map, &heads(&["b1"]), "m").unwrap().len(), 2);
        assert!(upgrade_order(&map, &[], "nope").is_err());
    }

    #[test]
    fn downgrades_stop_before_the_first_irreversible_revision() {
        let mut b = rev("b", &["a"]);
        b.downgrade = Downgrade::Irreversible { line: 9 };
        let c = rev("c", &["b"]);
        let map = map(vec![rev("a", &[]), b, c]);
        assert!(is_irreversible(&map, "b") && !is_irreversible(&map, "c"));
        let full = plan::downgrade(&map, &heads(&["c"]), "base").unwrap();
        let (cut, stopped) = until_irreversible(&map, full);
        assert_eq!(stopped.as_deref(), Some("b"));
        let ids: Vec<_> = cut
            .steps
            .iter()
            .filter_map(|s| s.revision.clone())
            .collect();
        assert_eq!(ids, ["c"]);
        let plain = plan::downgrade(&map, &heads(&["c"]), "b").unwrap();
        assert_eq!(until_irreversible(&map, plain).1, None);
    }
}
