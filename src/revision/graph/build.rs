//! Building a [`RevisionMap`]: id checks, index, branch labels, `depends_on`
//! resolution, edges, heads and bases, cycle detection (Alembic's, then a complete
//! topological check), depths, normalized dependencies and label propagation.
//!
//! Alembic warns and then crashes with a `KeyError` on a missing parent, and silently
//! keeps the later file on a duplicate id; both are refused here with the files named.

use foldhash::{HashMap, HashMapExt};

use super::traverse::{Marks, Rel};
use super::{GraphError, Node, RevisionMap};
use crate::revision::{FileLine, Revision};

const ILLEGAL_CHARS: [char; 4] = ['+', '-', ':', '@'];
const MAX_ID_CHARS: usize = 32;

pub(super) fn build(revisions: Vec<Revision>) -> Result<RevisionMap, GraphError> {
    for revision in &revisions {
        check_revision(revision)?;
    }
    let by_id = index_ids(&revisions)?;
    let (by_label, label_order) = index_labels(&revisions, &by_id)?;

    let mut nodes = Vec::with_capacity(revisions.len());
    for revision in revisions {
        let parents = resolve_parents(&revision, &by_id)?;
        let deps = resolve_deps(&revision, &by_id, &by_label)?;
        let all_down = if deps.is_empty() {
            parents.clone()
        } else {
            dedupe(parents.iter().chain(&deps).copied())
        };
        let labels = dedupe_strings(&revision.branch_labels);
        nodes.push(Node {
            revision,
            parents,
            deps,
            all_down,
            normalized_down: Vec::new(),
            children: Vec::new(),
            all_children: Vec::new(),
            labels,
            depth: 0,
        });
    }
    link_children(&mut nodes);

    let mut map = RevisionMap {
        heads: select(&nodes, |n| n.children.is_empty()),
        real_heads: select(&nodes, |n| n.all_children.is_empty()),
        bases: select(&nodes, |n| n.parents.is_empty()),
        real_bases: select(&nodes, |n| {
            n.parents.is_empty() && n.revision.depends_on.is_empty()
        }),
        nodes,
        topo: Vec::new(),
        by_id,
        by_label,
        label_order,
    };
    let order = map.kahn(&|i| &map.nodes[i].all_down, &|i| &map.nodes[i].all_children);
    if order.len() != map.len() {
        // Always an error: Alembic's checks first, then the complete one.
        map.detect_cycles()?;
        let mut sorted = vec![false; map.len()];
        order.iter().for_each(|&i| sorted[i] = true);
        let left: Vec<usize> = (0..map.len()).filter(|&i| !sorted[i]).collect();
        return Err(map.dependency_cycle(map.ids(&left)));
    }
    map.assign_depths(order);
    map.normalize_dependencies();
    map.propagate_labels();
    Ok(map)
}

/// What Alembic's `Revision.__init__` refuses, plus `mig`'s length and emptiness rules.
fn check_revision(revision: &Revision) -> Result<(), GraphError> {
    let id = &revision.id;
    let lines = revision.lines;
    let path = || revision.at(lines.revision_id);
    if revision.down_revisions.iter().any(|down| down == id) {
        return Err(GraphError::SelfLoop {
            id: id.clone(),
            at: revision.at(lines.revises),
        });
    }
    if revision.depends_on.iter().any(|dep| dep == id) {
        return Err(GraphError::DependencySelfLoop {
            id: id.clone(),
            at: revision.at(lines.depends_on),
        });
    }
    let illegal: Vec<String> = ILLEGAL_CHARS
        .iter()
        .filter(|c| id.contains(**c))
        .map(|c| c.to_string())
        .collect();
    if !illegal.is_empty() {
        return Err(GraphError::IllegalCharacters {
            id: id.clone(),
            chars: illegal.join(", "),
            at: path(),
        });
    }
    if id.is_empty() {
        return Err(GraphError::EmptyId { at: path() });
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(GraphError::IdTooLong {
            id: id.clone(),
            at: path(),
        });
    }
    Ok(())
}

fn index_ids(revisions: &[Revision]) -> Result<HashMap<String, usize>, GraphError> {
    let mut by_id = HashMap::with_capacity(revisions.len());
    for (index, revision) in revisions.iter().enumerate() {
        if let Some(&first) = by_id.get(&revision.id) {
            let first: &Revision = &revisions[first];
            return Err(GraphError::DuplicateId {
                id: revision.id.clone(),
                first: first.at(first.lines.revision_id),
                second: revision.at(revision.lines.revision_id),
            });
        }
        by_id.insert(revision.id.clone(), index);
    }
    Ok(by_id)
}

type LabelIndex = (HashMap<String, usize>, Vec<(String, usize)>);

/// Alembic adds labels to the same map as ids, so a label may clash with an id too.
fn index_labels(
    revisions: &[Revision],
    by_id: &HashMap<String, usize>,
) -> Result<LabelIndex, GraphError> {
    let mut by_label = HashMap::new();
    let mut order = Vec::new();
    for (index, revision) in revisions.iter().enumerate() {
        for label in &revision.branch_labels {
            if let Some(&existing) = by_id.get(label).or_else(|| by_label.get(label)) {
                return Err(GraphError::DuplicateBranchLabel {
                    label: label.clone(),
                    revision: revision.id.clone(),
                    existing: revisions[existing].id.clone(),
                    files: Box::new([
                        revision.at(revision.lines.branch_labels),
                        labelled_at(&revisions[existing], label),
                    ]),
                });
            }
            by_label.insert(label.clone(), index);
            order.push((label.clone(), index));
        }
    }
    Ok((by_label, order))
}

/// Where `existing` holds `name`: its `Branch Labels:` line when the name is one of its
/// labels, else its `Revision ID:` line (a label may clash with an id).
fn labelled_at(existing: &Revision, name: &str) -> FileLine {
    if existing.branch_labels.iter().any(|label| label == name) {
        existing.at(existing.lines.branch_labels)
    } else {
        existing.at(existing.lines.revision_id)
    }
}

fn resolve_parents(
    revision: &Revision,
    by_id: &HashMap<String, usize>,
) -> Result<Vec<usize>, GraphError> {
    let parents = revision
        .down_revisions
        .iter()
        .map(|parent| {
            by_id
                .get(parent)
                .copied()
                .ok_or_else(|| GraphError::UnknownParent {
                    id: revision.id.clone(),
                    parent: parent.clone(),
                    at: revision.at(revision.lines.revises),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(dedupe(parents))
}

fn resolve_deps(
    revision: &Revision,
    by_id: &HashMap<String, usize>,
    by_label: &HashMap<String, usize>,
) -> Result<Vec<usize>, GraphError> {
    let deps = revision
        .depends_on
        .iter()
        .map(|dep| {
            by_id
                .get(dep)
                .or_else(|| by_label.get(dep))
                .copied()
                .ok_or_else(|| GraphError::UnknownDependency {
                    id: revision.id.clone(),
                    dependency: dep.clone(),
                    at: revision.at(revision.lines.depends_on),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(dedupe(deps))
}

fn link_children(nodes: &mut [Node]) {
    for child in 0..nodes.len() {
        for k in 0..nodes[child].all_down.len() {
            let parent = nodes[child].all_down[k];
            let versioned = nodes[child].parents.contains(&parent);
            nodes[parent].all_children.push(child);
            if versioned {
                nodes[parent].children.push(child);
            }
        }
    }
}

fn select(nodes: &[Node], keep: impl Fn(&Node) -> bool) -> Vec<usize> {
    (0..nodes.len()).filter(|&i| keep(&nodes[i])).collect()
}

fn dedupe(items: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = items.into_iter().collect();
    dedupe_in_place(&mut out);
    out
}

/// [`dedupe`] in place: keeps the first of each index, in order.
fn dedupe_in_place(items: &mut Vec<usize>) {
    let mut kept = 0;
    for i in 0..items.len() {
        let item = items[i];
        if !items[..kept].contains(&item) {
            items[kept] = item;
            kept += 1;
        }
    }
    items.truncate(kept);
}

fn dedupe_strings(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

impl RevisionMap {
    /// Depths along `order` (parents first); keeps `order` as the map's topological order.
    fn assign_depths(&mut self, order: Vec<usize>) {
        for &index in &order {
            let depth = self.nodes[index]
                .all_down
                .iter()
                .map(|&parent| self.nodes[parent].depth + 1)
                .max()
                .unwrap_or(0);
            self.nodes[index].depth = depth;
        }
        self.topo = order;
    }

    /// Alembic's `_normalize_depends_on`: a dependency is dropped when a versioned
    /// ancestor already depends on the same revision. Kept in declaration order
    /// (Alembic's order comes from a set and is not stable).
    fn normalize_dependencies(&mut self) {
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); self.len()];
        for index in 0..self.len() {
            for &dep in &self.nodes[index].deps {
                dependents[dep].push(index);
            }
        }
        let mut marks = Marks::new(self.len());
        for index in 0..self.len() {
            let mut kept = Vec::new();
            for &dep in &self.nodes[index].deps {
                let implied = dependents[dep].iter().any(|&other| {
                    other != index && self.reaches([index], other, Rel::Ancestors, &mut marks)
                });
                if !implied {
                    kept.push(dep);
                }
            }
            let node = &self.nodes[index];
            self.nodes[index].normalized_down = if kept.is_empty() {
                node.parents.clone()
            } else {
                dedupe(node.parents.iter().chain(&kept).copied())
            };
        }
    }

    /// Alembic's `_add_branches`: a revision's labels spread to all its descendants
    /// and, walking down from the last descendant Alembic visits, to ancestors until
    /// the first branch point (counting dependents) or merge point. That walk only
    /// leaves the descendants when they form a single chain, the one case handled.
    fn propagate_labels(&mut self) {
        let mut marks = Marks::new(self.len());
        for index in 0..self.len() {
            if self.nodes[index].revision.branch_labels.is_empty() {
                continue;
            }
            let labels = self.nodes[index].labels.clone();
            marks.clear();
            let mut stack = vec![index];
            let mut chain = true;
            let mut tip = index;
            while let Some(current) = stack.pop() {
                if !marks.insert(current) {
                    continue;
                }
                add_labels(&mut self.nodes[current].labels, &labels);
                let children = &self.nodes[current].children;
                chain &= children.len() <= 1;
                tip = current;
                stack.extend(children.iter().copied());
            }
            if !chain {
                continue;
            }
            let mut current = tip;
            loop {
                let node = &self.nodes[current];
                if node.all_children.len() > 1 || node.parents.len() > 1 {
                    break;
                }
                let parent = node.parents.first().copied();
                add_labels(&mut self.nodes[current].labels, &labels);
                match parent {
                    Some(parent) => current = parent,
                    None => break,
                }
            }
        }
        // Alembic keeps a set (no order); one history must print one order everywhere.
        for node in &mut self.nodes {
            if node.labels.len() > 1 {
                node.labels.sort_unstable();
            }
        }
    }
}

fn add_labels(target: &mut Vec<String>, labels: &[String]) {
    for label in labels {
        if !target.contains(label) {
            target.push(label.clone());
        }
    }
}
