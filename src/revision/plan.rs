//! Plans: the ordered steps that move a database from a set of current heads to a target,
//! with the version-table writes of each step computed by Alembic's per-step rules
//! (`HeadMaintainer.update_to_step`). Each step borrows the revision it runs from the
//! [`RevisionMap`] it was planned over, so the executor walks a plan alone, looking
//! nothing up. Pure: the executor walks a plan into a sink.

mod heads;
mod stamp;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

use self::heads::Heads;
use super::graph::{CommandError, Direction, RevisionMap};
use super::Revision;

pub use self::stamp::stamp;

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Upgrade,
    Downgrade,
    /// `stamp`: version-table writes only, no revision body runs.
    Stamp,
}

/// One write to the version table, values as revision ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum VersionOp {
    Insert {
        version: String,
    },
    Update {
        from: String,
        to: String,
    },
    Delete {
        version: String,
    },
    /// `stamp --purge`: `DELETE FROM <version table>` (no WHERE).
    DeleteAll,
}

impl VersionOp {
    /// The version rows `heads` after this write (an UPDATE keeps its row's place).
    pub fn apply_to(&self, heads: &mut Vec<String>) {
        match self {
            VersionOp::Insert { version } => heads.push(version.clone()),
            VersionOp::Update { from, to } => match heads.iter_mut().find(|h| *h == from) {
                Some(head) => head.clone_from(to),
                None => heads.push(to.clone()),
            },
            VersionOp::Delete { version } => heads.retain(|h| h != version),
            VersionOp::DeleteAll => heads.clear(),
        }
    }
}

/// What a step runs: a revision's upgrade or downgrade body, or nothing (stamp).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action<'m> {
    /// The revision's upgrade section.
    Upgrade(&'m Revision),
    /// The revision's downgrade section.
    Downgrade(&'m Revision),
    /// `stamp`: version-table writes only, no revision body runs.
    Stamp,
}

impl fmt::Debug for Action<'_> {
    /// The revision by id: a whole revision (its SQL) would drown a test failure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Upgrade(revision) => f.debug_tuple("Upgrade").field(&revision.id).finish(),
            Action::Downgrade(revision) => f.debug_tuple("Downgrade").field(&revision.id).finish(),
            Action::Stamp => f.write_str("Stamp"),
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<'m> {
    pub action: Action<'m>,
    /// Ids written on the left of `-- Running <kind> <from> -> <to>`.
    pub from: Vec<String>,
    /// Ids written on the right.
    pub to: Vec<String>,
    /// Version-table writes, in order, after the body.
    pub ops: Vec<VersionOp>,
}

impl<'m> Step<'m> {
    /// What the step does, without its revision.
    pub fn kind(&self) -> StepKind {
        match self.action {
            Action::Upgrade(_) => StepKind::Upgrade,
            Action::Downgrade(_) => StepKind::Downgrade,
            Action::Stamp => StepKind::Stamp,
        }
    }

    /// The revision whose body runs; `None` for stamp steps.
    pub fn revision(&self) -> Option<&'m Revision> {
        match self.action {
            Action::Upgrade(revision) | Action::Downgrade(revision) => Some(revision),
            Action::Stamp => None,
        }
    }
}

/// A whole plan: the steps in order, and whether the version table may need creating
/// (Alembic renders `CREATE TABLE` offline only when starting from base).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan<'m> {
    pub steps: Vec<Step<'m>>,
    /// The heads before the first step.
    pub start_heads: Vec<String>,
    /// The heads after the last step.
    pub end_heads: Vec<String>,
}

impl<'m> Plan<'m> {
    /// The revisions whose bodies run, in step order.
    pub fn revisions(&self) -> impl Iterator<Item = &'m Revision> + '_ {
        self.steps.iter().filter_map(Step::revision)
    }
}

/// `upgrade <target>` from the version rows `current_heads`: the revisions needed,
/// oldest first, each with Alembic's version-table writes. An older target plans
/// nothing. Errors carry the text Alembic's `upgrade` prints after `FAILED: `.
pub fn upgrade<'m>(
    map: &'m RevisionMap,
    current_heads: &[String],
    target: &str,
) -> Result<Plan<'m>, CommandError> {
    let order = map
        .upgrade_order(current_heads, target)
        .map_err(|err| err.into_command_for(Direction::Upgrade, target))?;
    let mut heads = Heads::new(map, current_heads);
    let mut steps = Vec::with_capacity(order.len());
    for revision in order.into_iter().rev() {
        let ops = heads
            .upgrade(revision)
            .map_err(|err| err.into_command_for(Direction::Upgrade, target))?;
        steps.push(Step {
            action: Action::Upgrade(revision.revision()),
            from: strings(revision.down_revisions()),
            to: vec![revision.id().to_owned()],
            ops,
        });
    }
    Ok(finish(steps, current_heads, heads))
}

/// `downgrade <target>` from the version rows `current_heads`: the applied revisions
/// to undo, newest first, each with Alembic's version-table writes.
///
/// Where Alembic's unmerge leaves it to a set's iteration order which parent takes
/// over the merge's row, the last parent in `down_revision` order gets the UPDATE and
/// the others are INSERTed first (the mirror image of the merge's DELETEs + UPDATE).
pub fn downgrade<'m>(
    map: &'m RevisionMap,
    current_heads: &[String],
    target: &str,
) -> Result<Plan<'m>, CommandError> {
    let order = map
        .downgrade_order(current_heads, target)
        .map_err(|err| err.into_command_for(Direction::Downgrade, target))?;
    let mut heads = Heads::new(map, current_heads);
    let mut steps = Vec::with_capacity(order.len());
    for revision in order {
        let ops = heads
            .downgrade(revision)
            .map_err(|err| err.into_command_for(Direction::Downgrade, target))?;
        steps.push(Step {
            action: Action::Downgrade(revision.revision()),
            from: vec![revision.id().to_owned()],
            to: strings(revision.down_revisions()),
            ops,
        });
    }
    Ok(finish(steps, current_heads, heads))
}

fn finish<'m>(steps: Vec<Step<'m>>, current_heads: &[String], heads: Heads<'_>) -> Plan<'m> {
    Plan {
        steps,
        start_heads: current_heads.to_vec(),
        end_heads: heads.into_rows(),
    }
}

fn strings(ids: Vec<&str>) -> Vec<String> {
    ids.into_iter().map(str::to_owned).collect()
}
