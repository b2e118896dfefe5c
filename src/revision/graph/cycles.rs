//! Cycle detection: Alembic's own check first (same messages, same revision lists),
//! then a complete one, plus the topological order (Kahn) the map keeps.

use super::traverse::Rel;
use super::{GraphError, RevisionMap};
use crate::revision::{FileLine, HeaderLines};

impl RevisionMap {
    /// Alembic's `_detect_cycles` (same messages, same lists), followed by a complete
    /// check: Alembic's reachability test misses a cycle hanging between a base and a
    /// head, which would make every later walk loop.
    pub(super) fn detect_cycles(&self) -> Result<(), GraphError> {
        if self.nodes.is_empty() {
            return Ok(());
        }
        let all_ids = || self.ids(&(0..self.len()).collect::<Vec<_>>());
        if self.heads.is_empty() || self.bases.is_empty() {
            return Err(self.cycle(all_ids()));
        }
        let stranded = self.stranded(&self.heads, &self.bases, Rel::Ancestors, Rel::Descendants);
        if !stranded.is_empty() {
            return Err(self.cycle(stranded));
        }
        if self.real_heads.is_empty() || self.real_bases.is_empty() {
            return Err(self.dependency_cycle(all_ids()));
        }
        let down_all = |i: usize| self.node(i).all_down.as_slice();
        let up_all = |i: usize| self.node(i).all_children.as_slice();
        let stranded = self.stranded_by(&self.real_heads, &self.real_bases, down_all, up_all);
        if !stranded.is_empty() {
            return Err(self.dependency_cycle(stranded));
        }
        if let Some(cycle) = self.unsorted(&|i| &self.node(i).parents, &|i| &self.node(i).children)
        {
            return Err(self.cycle(cycle));
        }
        let all_down = |i: usize| &self.node(i).all_down;
        if let Some(cycle) = self.unsorted(&all_down, &|i| &self.node(i).all_children) {
            return Err(self.dependency_cycle(cycle));
        }
        Ok(())
    }

    /// A cycle through `ids`, with their files.
    pub(super) fn cycle(&self, ids: Vec<String>) -> GraphError {
        let files = self.files_of(&ids, |lines| lines.revises);
        GraphError::Cycle { ids, files }
    }

    /// A dependency cycle through `ids`, with their files.
    pub(super) fn dependency_cycle(&self, ids: Vec<String>) -> GraphError {
        let files = self.files_of(&ids, |lines| lines.depends_on.or(lines.revises));
        GraphError::DependencyCycle { ids, files }
    }

    /// The files of `ids`, each at the header line `line` picks.
    fn files_of(
        &self,
        ids: &[String],
        line: impl Fn(&HeaderLines) -> Option<usize>,
    ) -> Vec<FileLine> {
        ids.iter()
            .filter_map(|id| self.by_id.get(id))
            .map(|&index| {
                let revision = &self.node(index).revision;
                revision.at(line(&revision.lines))
            })
            .collect()
    }

    /// Revisions not both below a head and above a base, sorted by id.
    fn stranded(&self, heads: &[usize], bases: &[usize], down: Rel, up: Rel) -> Vec<String> {
        self.stranded_by(
            heads,
            bases,
            |i| self.related(i, down),
            |i| self.related(i, up),
        )
    }

    fn stranded_by<'a>(
        &'a self,
        heads: &[usize],
        bases: &[usize],
        down: impl Fn(usize) -> &'a [usize],
        up: impl Fn(usize) -> &'a [usize],
    ) -> Vec<String> {
        let below_heads = reach(self.len(), heads, down);
        let above_bases = reach(self.len(), bases, up);
        let mut ids: Vec<String> = (0..self.len())
            .filter(|&i| !(below_heads[i] && above_bases[i]))
            .map(|i| self.id(i).to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// The ids on a cycle of `edges` (child -> parents), if any: what is left after
    /// peeling revisions without pending parents, then those without pending children.
    fn unsorted<'a>(
        &'a self,
        edges: &impl Fn(usize) -> &'a Vec<usize>,
        up: &impl Fn(usize) -> &'a Vec<usize>,
    ) -> Option<Vec<String>> {
        let order = self.kahn(edges, up);
        if order.len() == self.len() {
            return None;
        }
        let mut left = vec![true; self.len()];
        order.iter().for_each(|&i| left[i] = false);
        let mut children = vec![0usize; self.len()];
        for child in (0..self.len()).filter(|&i| left[i]) {
            for &parent in edges(child) {
                children[parent] += 1;
            }
        }
        let mut leaves: Vec<usize> = (0..self.len())
            .filter(|&i| left[i] && children[i] == 0)
            .collect();
        while let Some(leaf) = leaves.pop() {
            left[leaf] = false;
            for &parent in edges(leaf) {
                children[parent] -= 1;
                if children[parent] == 0 && left[parent] {
                    leaves.push(parent);
                }
            }
        }
        let mut ids: Vec<String> = (0..self.len())
            .filter(|&i| left[i])
            .map(|i| self.id(i).to_owned())
            .collect();
        ids.sort();
        Some(ids)
    }

    /// Parents before children (Kahn's algorithm over `down`, with `up` its reverse);
    /// shorter than `len()` when there is a cycle.
    pub(super) fn kahn<'a>(
        &'a self,
        down: &impl Fn(usize) -> &'a Vec<usize>,
        up: &impl Fn(usize) -> &'a Vec<usize>,
    ) -> Vec<usize> {
        let mut pending: Vec<usize> = (0..self.len()).map(|i| down(i).len()).collect();
        let mut ready: Vec<usize> = (0..self.len()).filter(|&i| pending[i] == 0).collect();
        let mut order = Vec::with_capacity(self.len());
        while let Some(index) = ready.pop() {
            order.push(index);
            for &child in up(index) {
                pending[child] -= 1;
                if pending[child] == 0 {
                    ready.push(child);
                }
            }
        }
        order
    }
}

fn reach<'a>(len: usize, starts: &[usize], next: impl Fn(usize) -> &'a [usize]) -> Vec<bool> {
    let mut seen = vec![false; len];
    let mut stack = starts.to_vec();
    while let Some(index) = stack.pop() {
        if std::mem::replace(&mut seen[index], true) {
            continue;
        }
        stack.extend(next(index).iter().copied());
    }
    seen
}
