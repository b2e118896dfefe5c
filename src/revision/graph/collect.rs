//! Which revisions an upgrade, a downgrade or a `history` range covers (Alembic's
//! `_collect_upgrade_revisions` / `_collect_downgrade_revisions`), and
//! `iterate_revisions`, which puts them in Alembic's walking order.

use super::resolve::{Pos, Spec};
use super::traverse::Rel;
use super::{RevisionError, RevisionMap};

/// Options of Alembic's `iterate_revisions`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Walk {
    pub inclusive: bool,
    pub implicit_base: bool,
    pub assert_relative_length: bool,
}

impl RevisionMap {
    /// `iterate_revisions(upper, lower)` for upgrades and `history`: the revisions
    /// needed to reach `upper` from `lower`, newest first.
    pub(crate) fn iterate_upgrade(
        &self,
        upper: Spec<'_>,
        lower: Spec<'_>,
        walk: Walk,
    ) -> Result<Vec<usize>, RevisionError> {
        let (needs, targets) = self.collect_upgrade(upper, lower, walk)?;
        self.topological_sort(&needs, &targets)
    }

    /// `iterate_revisions(current, target, select_for_downgrade=True)`: the applied
    /// revisions a downgrade to `target` undoes, newest first.
    pub(crate) fn iterate_downgrade(
        &self,
        current: Spec<'_>,
        target: &str,
    ) -> Result<Vec<usize>, RevisionError> {
        let (undo, heads) = self.collect_downgrade(current, target)?;
        self.topological_sort(&undo, &heads)
    }

    fn collect_upgrade(
        &self,
        upper: Spec<'_>,
        lower: Spec<'_>,
        walk: Walk,
    ) -> Result<(Vec<bool>, Vec<usize>), RevisionError> {
        let no_overwalk = walk.assert_relative_length;
        let mut targets = self.parse_upgrade_target(lower, upper, no_overwalk)?;

        if let Spec::Str(text) = lower {
            if let Some((branch, _)) = text.split_once('@') {
                let label = self.branch_label_for(branch)?;
                targets.retain(|&t| self.node(t).labels.contains(&label));
            }
        }

        let required = self.closure_checked(&targets, Rel::AncestorsWithDeps)?;
        let mut current = self.positions_of(lower)?;
        let outside = |pos: &Pos| match pos {
            Pos::Rev(index) => !required[*index],
            Pos::Base => true,
            Pos::Nil => false,
        };
        if !walk.implicit_base && current.iter().any(outside) {
            return Err(RevisionError::RangeNotAncestor {
                lower: lower.text(),
                upper: upper.text(),
            });
        }

        // A relative lower bound (`-2:`) that walked off the graph: resolve it the way
        // a downgrade target would be.
        let owned_lower;
        let mut lower = lower;
        if current.first() == Some(&Pos::Nil) {
            let text = match lower {
                Spec::Str(text) => Some(text),
                _ => None,
            };
            match self.parse_downgrade_target(upper, text, no_overwalk)?.1 {
                Pos::Rev(index) => {
                    current = vec![Pos::Rev(index)];
                    owned_lower = [self.id(index).to_owned()];
                    lower = Spec::Tuple(&owned_lower);
                }
                Pos::Base | Pos::Nil => {
                    current = Vec::new();
                    lower = Spec::Nil;
                }
            }
        }

        let current_revs: Vec<usize> = current.iter().copied().filter_map(Pos::rev).collect();
        let applied = self.closure_checked(&current_revs, Rel::AncestorsWithDeps)?;
        let mut needs: Vec<bool> = required
            .iter()
            .zip(&applied)
            .map(|(&r, &a)| r && !a)
            .collect();
        if walk.inclusive {
            for index in self.revisions_of(lower)? {
                needs[index] = true;
            }
        }
        if !current.is_empty() && !walk.implicit_base {
            let above = self.closure_checked(&current_revs, Rel::Descendants)?;
            needs.iter_mut().zip(&above).for_each(|(n, &a)| *n &= a);
        }
        Ok((needs, targets))
    }

    /// The label a `branch@...` lower bound selects; a revision id used as the branch
    /// stands for its single label.
    fn branch_label_for(&self, branch: &str) -> Result<String, RevisionError> {
        if let Some(index) = self.revision_index(Some(branch))? {
            if self.id(index) == branch {
                let labels = &self.node(index).labels;
                return match labels.as_slice() {
                    [only] => Ok(only.clone()),
                    _ => Err(RevisionError::AmbiguousBranchRevision {
                        revision: branch.to_owned(),
                        count: labels.len(),
                    }),
                };
            }
        }
        Ok(branch.to_owned())
    }

    fn collect_downgrade(
        &self,
        current: Spec<'_>,
        target: &str,
    ) -> Result<(Vec<bool>, Vec<usize>), RevisionError> {
        let (label, destination) = self.parse_downgrade_target(current, Some(target), true)?;
        let destination = destination.rev();
        let mut roots: Vec<usize> = match destination {
            None => (0..self.len())
                .filter(|&i| self.node(i).parents.is_empty())
                .collect(),
            Some(index) => self.node(index).children.clone(),
        };
        if let Some(label) = &label {
            if roots.len() > 1 {
                let branch = self.resolve_branch(label)?;
                let on_branch = self.closure(&[branch], Rel::Ancestors);
                roots.retain(|&root| on_branch[root]);
                if roots.is_empty() {
                    return Err(RevisionError::NotValidDowngradeTarget);
                }
            }
        }
        let heads = self.revisions_of(current)?;
        let dropped = self.closure(&roots, Rel::DescendantsWithDeps);
        let active = self.closure(&heads, Rel::AncestorsWithDeps);
        let undo: Vec<bool> = dropped.iter().zip(&active).map(|(&d, &a)| d && a).collect();
        if let Some(index) = destination {
            if !undo.contains(&true) && !heads.contains(&index) {
                return Err(RevisionError::RangeNotAncestor {
                    lower: "Nothing to drop".to_owned(),
                    upper: current.text(),
                });
            }
        }
        Ok((undo, heads))
    }
}
