//! Plans: the ordered steps that move a database from a set of current heads to a target,
//! with the version-table writes of each step computed by Alembic's per-step rules
//! (`HeadMaintainer.update_to_step`). Pure: the executor walks a plan into a sink.

use serde::Serialize;

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

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// The revision whose body runs (upgrade/downgrade); `None` for stamp steps.
    pub revision: Option<String>,
    /// Ids written on the left of `-- Running <kind> <from> -> <to>`.
    pub from: Vec<String>,
    /// Ids written on the right.
    pub to: Vec<String>,
    /// Version-table writes, in order, after the body.
    pub ops: Vec<VersionOp>,
}

/// A whole plan: the steps in order, and whether the version table may need creating
/// (Alembic renders `CREATE TABLE` offline only when starting from base).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// The heads before the first step.
    pub start_heads: Vec<String>,
    /// The heads after the last step.
    pub end_heads: Vec<String>,
}
