//! Alembic's `HeadMaintainer`: the version rows as a plan moves through them, and the
//! version-table writes each step makes (`update_to_step`), in Alembic's order:
//! delete a branch, create a branch, merge, unmerge, otherwise update.
//!
//! Rows are kept in a stable order (new rows last, an UPDATE keeps its row's place)
//! so plans and their end heads are deterministic; Alembic keeps a set.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use super::VersionOp;
use crate::revision::graph::{AncestryProbe, RevisionError, RevisionMap, RevisionRef};

/// A stamp step as Alembic's `StampStep` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StampMove<'a> {
    pub from: Vec<&'a str>,
    pub to: Vec<&'a str>,
    pub upgrade: bool,
    pub branch_move: bool,
}

pub(super) struct Heads<'a> {
    /// Rows in order; `None` where a row was deleted. Ids written by the plan borrow
    /// from the map; only the starting rows are owned.
    rows: Vec<Option<Cow<'a, str>>>,
    position: HashMap<Cow<'a, str>, usize>,
    probe: AncestryProbe<'a>,
    ops: Vec<VersionOp>,
}

impl<'a> Heads<'a> {
    pub(super) fn new(map: &'a RevisionMap, rows: &[String]) -> Self {
        let mut heads = Self {
            rows: Vec::with_capacity(rows.len()),
            position: HashMap::with_capacity(rows.len()),
            probe: AncestryProbe::new(map),
            ops: Vec::new(),
        };
        for row in rows {
            if !heads.contains(row) {
                heads.add(Cow::Owned(row.clone()));
            }
        }
        heads
    }

    pub(super) fn into_rows(self) -> Vec<String> {
        self.rows
            .into_iter()
            .flatten()
            .map(Cow::into_owned)
            .collect()
    }

    fn contains(&self, id: &str) -> bool {
        self.position.contains_key(id)
    }

    fn live(&self) -> impl Iterator<Item = &str> {
        self.rows.iter().flatten().map(|row| row.as_ref())
    }

    fn others(&self, excluded: &[&str]) -> Vec<String> {
        self.live()
            .filter(|row| !excluded.contains(row))
            .map(str::to_owned)
            .collect()
    }

    fn add(&mut self, id: Cow<'a, str>) {
        self.position.insert(id.clone(), self.rows.len());
        self.rows.push(Some(id));
    }

    fn insert(&mut self, id: &'a str) -> Result<(), RevisionError> {
        if self.contains(id) {
            return Err(inconsistent(format!("`{id}` would be inserted twice")));
        }
        self.add(Cow::Borrowed(id));
        self.ops.push(VersionOp::Insert {
            version: id.to_owned(),
        });
        Ok(())
    }

    fn delete(&mut self, id: &str) -> Result<(), RevisionError> {
        let Some(at) = self.position.remove(id) else {
            return Err(inconsistent(format!(
                "`{id}` would be deleted but is not a row"
            )));
        };
        self.rows[at] = None;
        self.ops.push(VersionOp::Delete {
            version: id.to_owned(),
        });
        Ok(())
    }

    fn update(&mut self, from: &str, to: &'a str) -> Result<(), RevisionError> {
        if self.contains(to) {
            return Err(inconsistent(format!(
                "`{from}` would be updated to `{to}`, already a row"
            )));
        }
        let Some(at) = self.position.remove(from) else {
            return Err(inconsistent(format!(
                "`{from}` would be updated to `{to}` but is not a row"
            )));
        };
        self.rows[at] = Some(Cow::Borrowed(to));
        self.position.insert(Cow::Borrowed(to), at);
        self.ops.push(VersionOp::Update {
            from: from.to_owned(),
            to: to.to_owned(),
        });
        Ok(())
    }

    fn take_ops(&mut self) -> Vec<VersionOp> {
        std::mem::take(&mut self.ops)
    }

    /// Whether `id` is a row or an ancestor of one of `rows`.
    fn below(&mut self, rows: &[String], id: &str) -> Result<bool, RevisionError> {
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        self.probe.below_any(&rows, id)
    }

    /// The writes of upgrading `revision`.
    pub(super) fn upgrade(
        &mut self,
        revision: RevisionRef<'a>,
    ) -> Result<Vec<VersionOp>, RevisionError> {
        let id = revision.id();
        let down = revision.normalized_down_revisions();
        let present: Vec<&str> = down.iter().copied().filter(|d| self.contains(d)).collect();
        if present.is_empty() {
            self.insert(id)?;
        } else if down.len() > 1 && present.len() > 1 {
            // Merge: parents already implied by another row are not rows to remove.
            let others = self.others(&down);
            let mut from = Vec::with_capacity(down.len());
            for parent in &down {
                if others.is_empty() || !self.below(&others, parent)? {
                    from.push(*parent);
                }
            }
            let Some((last, rest)) = from.split_last() else {
                return Err(inconsistent(format!("no row to merge into `{id}`")));
            };
            for parent in rest {
                self.delete(parent)?;
            }
            self.update(last, id)?;
        } else {
            let parent = single_parent(&down, &present, id)?;
            self.update(parent, id)?;
        }
        Ok(self.take_ops())
    }

    /// The writes of downgrading `revision`.
    pub(super) fn downgrade(
        &mut self,
        revision: RevisionRef<'a>,
    ) -> Result<Vec<VersionOp>, RevisionError> {
        let id = revision.id();
        let down = revision.normalized_down_revisions();
        if self.contains(id) {
            let targets = if down.is_empty() {
                Vec::new()
            } else {
                self.unmerge_targets(id, &down)?
            };
            if targets.is_empty() {
                self.delete(id)?;
                return Ok(self.take_ops());
            }
            if down.len() > 1 {
                let Some((last, rest)) = targets.split_last() else {
                    return Err(inconsistent(format!("no parent to unmerge `{id}` into")));
                };
                for parent in rest {
                    self.insert(parent)?;
                }
                self.update(id, last)?;
                return Ok(self.take_ops());
            }
        }
        let present: Vec<&str> = down.iter().copied().filter(|d| self.contains(d)).collect();
        let parent = single_parent(&down, &present, id)?;
        self.update(id, parent)?;
        Ok(self.take_ops())
    }

    /// Alembic's `_unmerge_to_revisions`: the parents of `id` that must become rows,
    /// i.e. those not already implied by another row (or by a sibling parent).
    fn unmerge_targets(
        &mut self,
        id: &str,
        down: &[&'a str],
    ) -> Result<Vec<&'a str>, RevisionError> {
        let others = self.others(&[id]);
        let mut targets = Vec::with_capacity(down.len());
        for &parent in down {
            let implied = if others.is_empty() {
                let mut implied = false;
                for &sibling in down.iter().filter(|&&s| s != parent) {
                    implied |= self.below(&[sibling.to_owned()], parent)?;
                }
                implied
            } else {
                self.below(&others, parent)?
            };
            if !implied {
                targets.push(parent);
            }
        }
        Ok(targets)
    }

    /// The writes of one stamp step (`StampStep`'s rules).
    pub(super) fn stamp(&mut self, step: &StampMove<'a>) -> Result<Vec<VersionOp>, RevisionError> {
        let (from, to) = (&step.from, &step.to);
        let creates = step.upgrade
            && (step.branch_move || from.iter().any(|f| !self.contains(f)))
            && to.iter().any(|t| !self.contains(t));
        if !step.upgrade && step.branch_move {
            self.delete(only(from, "stamp from")?)?;
        } else if creates {
            self.insert(only(to, "stamp to")?)?;
        } else if from.len() > 1 {
            let target = only(to, "stamp to")?;
            if let Some((last, rest)) = from.split_last() {
                for row in rest {
                    self.delete(row)?;
                }
                self.update(last, target)?;
            }
        } else {
            self.update(only(from, "stamp from")?, only(to, "stamp to")?)?;
        }
        Ok(self.take_ops())
    }

    /// `stamp --purge`: every row goes first.
    pub(super) fn purge(&mut self) -> VersionOp {
        self.rows.clear();
        self.position.clear();
        VersionOp::DeleteAll
    }
}

/// The parent an UPDATE moves from/to: the only one, or the only one that is a row.
fn single_parent<'d>(
    down: &[&'d str],
    present: &[&'d str],
    id: &str,
) -> Result<&'d str, RevisionError> {
    match (down, present) {
        ([only], _) | (_, [only]) => Ok(only),
        _ => Err(inconsistent(format!(
            "Can't do an UPDATE for `{id}` because downrevision is ambiguous"
        ))),
    }
}

fn only<'s>(ids: &[&'s str], what: &str) -> Result<&'s str, RevisionError> {
    match ids {
        [one] => Ok(one),
        _ => Err(inconsistent(format!(
            "{what} needs exactly one revision, got {}",
            ids.len()
        ))),
    }
}

fn inconsistent(message: String) -> RevisionError {
    RevisionError::InconsistentHeads(message)
}
