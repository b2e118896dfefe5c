//! Graph traversals over integer indices with explicit stacks: closures (Alembic's
//! `_get_ancestor_nodes` / `_get_descendant_nodes`, including the `check=True` overlap
//! test) and depth-pruned reachability queries. Never recursive.

use super::{RevisionError, RevisionMap};

/// Which related revisions a traversal follows, as Alembic's `include_dependencies`
/// flag selects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    /// `down_revision` only.
    Ancestors,
    /// `down_revision` plus normalized dependencies (`include_dependencies=True`).
    AncestorsWithDeps,
    /// `nextrev`.
    Descendants,
    /// `_all_nextrev`: dependents too (`include_dependencies=True`).
    DescendantsWithDeps,
}

impl Rel {
    pub(crate) fn ancestors(with_deps: bool) -> Self {
        if with_deps {
            Self::AncestorsWithDeps
        } else {
            Self::Ancestors
        }
    }

    pub(crate) fn descendants(with_deps: bool) -> Self {
        if with_deps {
            Self::DescendantsWithDeps
        } else {
            Self::Descendants
        }
    }

    fn downward(self) -> bool {
        matches!(self, Self::Ancestors | Self::AncestorsWithDeps)
    }
}

/// A visited set that resets in O(1), reused across many queries.
#[derive(Debug, Clone)]
pub(crate) struct Marks {
    generation: u32,
    stamps: Vec<u32>,
}

impl Marks {
    pub(crate) fn new(len: usize) -> Self {
        Self {
            generation: 1,
            stamps: vec![0; len],
        }
    }

    pub(crate) fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamps.iter_mut().for_each(|stamp| *stamp = 0);
            self.generation = 1;
        }
    }

    /// Marks `index`; false if it was already marked.
    pub(crate) fn insert(&mut self, index: usize) -> bool {
        match self.stamps.get_mut(index) {
            Some(stamp) if *stamp != self.generation => {
                *stamp = self.generation;
                true
            }
            _ => false,
        }
    }
}

impl RevisionMap {
    pub(crate) fn related(&self, index: usize, rel: Rel) -> &[usize] {
        let node = self.node(index);
        match rel {
            Rel::Ancestors => &node.parents,
            Rel::AncestorsWithDeps => &node.normalized_down,
            Rel::Descendants => &node.children,
            Rel::DescendantsWithDeps => &node.all_children,
        }
    }

    pub(crate) fn depth(&self, index: usize) -> u32 {
        self.node(index).depth
    }

    /// The start revisions and everything related to them, as a membership vector.
    pub(crate) fn closure(&self, starts: &[usize], rel: Rel) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<usize> = starts.to_vec();
        while let Some(index) = stack.pop() {
            if std::mem::replace(&mut seen[index], true) {
                continue;
            }
            stack.extend(self.related(index, rel).iter().copied());
        }
        seen
    }

    /// [`Self::closure`] with Alembic's `check=True`: walking from each target in turn
    /// (stopping at revisions an earlier target already reached), a target that meets
    /// another target is refused with `Requested revision X overlaps with ...`.
    pub(crate) fn closure_checked(
        &self,
        targets: &[usize],
        rel: Rel,
    ) -> Result<Vec<bool>, RevisionError> {
        let mut seen = vec![false; self.len()];
        let mut is_target = vec![false; self.len()];
        for &target in targets {
            is_target[target] = true;
        }
        let mut stack = Vec::new();
        let mut met = Marks::new(self.len());
        for &target in targets {
            stack.push(target);
            met.clear();
            let mut overlaps = Vec::new();
            while let Some(index) = stack.pop() {
                if is_target[index] && index != target && met.insert(index) {
                    overlaps.push(index);
                }
                if std::mem::replace(&mut seen[index], true) {
                    continue;
                }
                stack.extend(self.related(index, rel).iter().copied());
            }
            if !overlaps.is_empty() {
                // Alembic lists a set; list the overlaps in load order to stay stable.
                overlaps.sort_unstable();
                return Err(RevisionError::Overlap {
                    revision: self.id(target).to_owned(),
                    others: self.ids(&overlaps),
                });
            }
        }
        Ok(seen)
    }

    /// Whether `target` is among `starts` or reachable from them along `rel`.
    ///
    /// Depth strictly grows from ancestor to descendant, so the search never leaves
    /// the depth band between the starts and the target.
    pub(crate) fn reaches(
        &self,
        starts: impl IntoIterator<Item = usize>,
        target: usize,
        rel: Rel,
        marks: &mut Marks,
    ) -> bool {
        marks.clear();
        self.search(starts, target, rel, marks, |_| true)
    }

    /// [`Self::reaches`] through revisions accepted by `allowed` only (the starts and
    /// the target are always accepted), without clearing `marks`: revisions marked by
    /// an earlier search for the same target are known not to lead to it.
    pub(crate) fn search(
        &self,
        starts: impl IntoIterator<Item = usize>,
        target: usize,
        rel: Rel,
        marks: &mut Marks,
        allowed: impl Fn(usize) -> bool,
    ) -> bool {
        let limit = self.depth(target);
        let downward = rel.downward();
        let mut stack: Vec<usize> = starts.into_iter().collect();
        while let Some(index) = stack.pop() {
            if index == target {
                return true;
            }
            if !marks.insert(index) {
                continue;
            }
            for &next in self.related(index, rel) {
                let depth = self.depth(next);
                let in_band = if downward {
                    depth >= limit
                } else {
                    depth <= limit
                };
                if in_band && (next == target || allowed(next)) {
                    stack.push(next);
                }
            }
        }
        false
    }

    /// Whether `ancestor` is `of` itself or one of its ancestors along `rel`.
    pub(crate) fn is_ancestor(&self, ancestor: usize, of: usize, with_deps: bool) -> bool {
        let mut marks = Marks::new(self.len());
        self.reaches([of], ancestor, Rel::ancestors(with_deps), &mut marks)
    }

    /// Whether `descendant` is `of` itself or one of its descendants along `rel`.
    pub(crate) fn is_descendant(&self, descendant: usize, of: usize, with_deps: bool) -> bool {
        let mut marks = Marks::new(self.len());
        self.reaches([of], descendant, Rel::descendants(with_deps), &mut marks)
    }
}
