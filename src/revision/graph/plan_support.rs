//! The crate-internal entry points plans are computed from: Alembic's upgrade and
//! downgrade walks, the resolutions `stamp` needs, and a reusable ancestry probe for
//! the per-step version-table rules. Index-level details stay inside the graph.

use super::collect::Walk;
use super::resolve::{Pos, Spec};
use super::traverse::{Marks, Rel};
use super::{RevisionError, RevisionMap, RevisionRef};

impl RevisionMap {
    /// The revisions `upgrade <target>` runs from `rows`, newest first (Alembic's
    /// `_upgrade_revs` before its reversal).
    pub(crate) fn upgrade_order(
        &self,
        rows: &[String],
        target: &str,
    ) -> Result<Vec<RevisionRef<'_>>, RevisionError> {
        let walk = Walk {
            inclusive: false,
            implicit_base: true,
            assert_relative_length: true,
        };
        let order = self.iterate_upgrade(Spec::Str(target), Spec::Tuple(rows), walk)?;
        Ok(self.refs(&order))
    }

    /// The revisions `downgrade <target>` undoes from `rows`, newest first.
    pub(crate) fn downgrade_order(
        &self,
        rows: &[String],
        target: &str,
    ) -> Result<Vec<RevisionRef<'_>>, RevisionError> {
        let order = self.iterate_downgrade(Spec::Tuple(rows), target)?;
        Ok(self.refs(&order))
    }

    /// `get_revisions(rows)` for a tuple of identifiers; `None` stands for base.
    pub(crate) fn resolve_all(
        &self,
        ids: &[String],
    ) -> Result<Vec<Option<RevisionRef<'_>>>, RevisionError> {
        Ok(self
            .positions_of(Spec::Tuple(ids))?
            .into_iter()
            .map(|pos| match pos {
                Pos::Rev(index) => Some(self.at(index)),
                Pos::Base | Pos::Nil => None,
            })
            .collect())
    }

    /// `filter_for_lineage(targets, check_against, include_dependencies)`.
    pub(crate) fn lineage_filter<'a>(
        &'a self,
        targets: &[RevisionRef<'a>],
        check_against: &str,
        with_deps: bool,
    ) -> Result<Vec<RevisionRef<'a>>, RevisionError> {
        let indices: Vec<usize> = targets.iter().map(RevisionRef::load_index).collect();
        Ok(self.refs(&self.filter_for_lineage(&indices, check_against, with_deps)?))
    }
}

impl RevisionRef<'_> {
    /// Whether this revision is `other` or one of its ancestors (`with_deps`: through
    /// normalized dependencies too).
    pub(crate) fn is_ancestor_of(&self, other: &RevisionRef<'_>, with_deps: bool) -> bool {
        self.map.is_ancestor(self.index, other.index, with_deps)
    }

    /// Whether this revision is `other` or one of its descendants (`with_deps`:
    /// through dependents too).
    pub(crate) fn is_descendant_of(&self, other: &RevisionRef<'_>, with_deps: bool) -> bool {
        self.map.is_descendant(self.index, other.index, with_deps)
    }
}

/// Answers "is this revision one of these rows or below one of them?" (ancestors
/// through normalized dependencies, as Alembic's `_get_ancestor_nodes`), reusing its
/// scratch space across questions.
pub(crate) struct AncestryProbe<'a> {
    map: &'a RevisionMap,
    marks: Marks,
}

impl<'a> AncestryProbe<'a> {
    pub(crate) fn new(map: &'a RevisionMap) -> Self {
        Self {
            map,
            marks: Marks::new(map.len()),
        }
    }

    /// Whether revision `target` is one of `rows` or an ancestor of one. Rows are
    /// resolved as Alembic resolves version rows.
    pub(crate) fn below_any(&mut self, rows: &[&str], target: &str) -> Result<bool, RevisionError> {
        let Some(&target) = self.map.by_id.get(target) else {
            return Ok(false);
        };
        let mut starts = Vec::with_capacity(rows.len());
        for row in rows {
            match self.map.by_id.get(*row) {
                Some(&index) => starts.push(index),
                None => starts.extend(
                    self.map
                        .positions(Some(row))?
                        .into_iter()
                        .filter_map(Pos::rev),
                ),
            }
        }
        Ok(self
            .map
            .reaches(starts, target, Rel::AncestorsWithDeps, &mut self.marks))
    }
}
