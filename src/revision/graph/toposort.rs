//! Alembic's `_topological_sort`: the order every upgrade, downgrade and `history`
//! walks revisions in (newest first), reproduced step for step.
//!
//! Alembic keeps, for each head being walked, the full ancestor set, and recomputes it
//! at every merge or dependency, which is quadratic. Here the question it asks ("is the
//! candidate an ancestor of another head being walked?") is answered by a counter of
//! not-yet-emitted children when the revision set allows it, and otherwise by a
//! depth-pruned search; the resulting order is the same.

use super::traverse::{Marks, Rel};
use super::{RevisionError, RevisionMap};

impl RevisionMap {
    /// Orders the revisions flagged in `todo`, walking down from `heads` (those in
    /// `todo`, in load order) the way Alembic does: follow one head down until the
    /// candidate is an ancestor of another head, then switch to the first such head.
    pub(crate) fn topological_sort(
        &self,
        todo: &[bool],
        heads: &[usize],
    ) -> Result<Vec<usize>, RevisionError> {
        let mut todo = todo.to_vec();
        let mut remaining = todo.iter().filter(|&&t| t).count();
        let mut walking: Vec<usize> = heads.iter().copied().filter(|&h| todo[h]).collect();
        walking.sort_unstable();
        walking.dedup();
        let mut is_walking = vec![false; self.len()];
        walking.iter().for_each(|&h| is_walking[h] = true);

        let local = self.is_local(&todo, &walking, remaining);
        // Children in `todo` not yet emitted, per revision (used when `local`).
        let mut pending = vec![0u32; self.len()];
        if local {
            for index in (0..self.len()).filter(|&i| todo[i]) {
                for &down in self.related(index, Rel::AncestorsWithDeps) {
                    if todo[down] {
                        pending[down] += 1;
                    }
                }
            }
        }

        let mut marks = Marks::new(self.len());
        let mut output = Vec::with_capacity(remaining);
        let mut at = 0;
        while let Some(&candidate) = walking.get(at) {
            let blocker = if local && pending[candidate] == 0 {
                None
            } else {
                let within = local.then_some(todo.as_slice());
                self.first_head_above(&walking, at, candidate, within, &mut marks)
            };
            if let Some(other) = blocker {
                at = other;
                continue;
            }
            if todo[candidate] {
                output.push(candidate);
                todo[candidate] = false;
                remaining -= 1;
                for &down in self.related(candidate, Rel::AncestorsWithDeps) {
                    pending[down] = pending[down].saturating_sub(1);
                }
            }
            is_walking[candidate] = false;
            let next: Vec<usize> = self
                .related(candidate, Rel::AncestorsWithDeps)
                .iter()
                .copied()
                .filter(|&down| todo[down] && !is_walking[down])
                .collect();
            match next.split_first() {
                None => {
                    walking.remove(at);
                    at = at.saturating_sub(1);
                }
                Some((&first, rest)) => {
                    walking[at] = first;
                    is_walking[first] = true;
                    for &down in rest {
                        walking.push(down);
                        is_walking[down] = true;
                    }
                }
            }
        }
        if remaining > 0 {
            let left: Vec<usize> = (0..self.len()).filter(|&i| todo[i]).collect();
            return Err(RevisionError::Unreachable(self.ids(&left)));
        }
        Ok(output)
    }

    /// The first walked head (other than the one at `at`) that has `candidate` among
    /// its ancestors. `within` restricts the search to those revisions.
    fn first_head_above(
        &self,
        walking: &[usize],
        at: usize,
        candidate: usize,
        within: Option<&[bool]>,
        marks: &mut Marks,
    ) -> Option<usize> {
        marks.clear();
        let allowed = |index: usize| within.is_none_or(|todo| todo[index]);
        walking.iter().enumerate().find_map(|(position, &head)| {
            let found = position != at
                && self.search([head], candidate, Rel::AncestorsWithDeps, marks, allowed);
            found.then_some(position)
        })
    }

    /// Whether the pending-children shortcut answers Alembic's question exactly: no
    /// revision outside `todo` lies on a path between two revisions in it, and every
    /// revision in it lies below a walked head through revisions in it. Upgrades and
    /// downgrades always qualify; some `history` ranges over dependencies do not.
    fn is_local(&self, todo: &[bool], walking: &[usize], remaining: usize) -> bool {
        let mut above_todo = vec![false; self.len()];
        for &index in &self.topo {
            above_todo[index] = self
                .related(index, Rel::AncestorsWithDeps)
                .iter()
                .any(|&down| todo[down] || above_todo[down]);
        }
        let gap = (0..self.len()).filter(|&i| todo[i]).any(|index| {
            self.related(index, Rel::AncestorsWithDeps)
                .iter()
                .any(|&down| !todo[down] && above_todo[down])
        });
        if gap {
            return false;
        }
        let mut seen = vec![false; self.len()];
        let mut stack = walking.to_vec();
        let mut covered = 0;
        while let Some(index) = stack.pop() {
            if std::mem::replace(&mut seen[index], true) {
                continue;
            }
            covered += 1;
            let below = self.related(index, Rel::AncestorsWithDeps);
            stack.extend(below.iter().copied().filter(|&down| todo[down]));
        }
        covered == remaining
    }
}
