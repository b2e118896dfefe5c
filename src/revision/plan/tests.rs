//! Plans against the acceptance graphs of the Alembic reference (section 6). Every
//! expected text was produced by running Alembic 1.20.1 on the same graph (online on
//! SQLite, printing each revision body and version-table statement, then the rows in
//! table order). Where Alembic's unmerge depends on a set's order, the expectation is
//! the run (`PYTHONHASHSEED=2`) that matches `mig`'s documented choice. Here: how the
//! harness's output is written; the cases by graph in [`linear`], [`merges`],
//! [`branches`] and [`stamps`].

mod branches;
mod linear;
mod merges;
mod stamps;

use insta::assert_snapshot;

use super::{downgrade, stamp, upgrade, Plan, StepKind, VersionOp};
use crate::revision::fixture::strings;
use crate::revision::graph::RevisionMap;

/// The plan as the Alembic harness printed runs: bodies, version ops, final rows.
fn describe(plan: &Plan) -> String {
    let mut out = String::new();
    for step in &plan.steps {
        let revision = step.revision().map_or("", |r| r.id.as_str());
        match step.kind() {
            StepKind::Upgrade => out.push_str(&format!("up {revision}\n")),
            StepKind::Downgrade => out.push_str(&format!("down {revision}\n")),
            StepKind::Stamp => {}
        }
        for op in &step.ops {
            let line = match op {
                VersionOp::Insert { version } => format!("INSERT {version}"),
                VersionOp::Update { from, to } => format!("UPDATE {from}->{to}"),
                VersionOp::Delete { version } => format!("DELETE {version}"),
                VersionOp::DeleteAll => "DELETE ALL".to_owned(),
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&format!("rows: {}", plan.end_heads.join(" ")));
    out
}

fn outcome(result: Result<Plan, crate::revision::graph::CommandError>) -> String {
    match result {
        Ok(plan) => describe(&plan),
        Err(err) => format!("FAILED: {err}"),
    }
}

fn up(map: &RevisionMap, rows: &[&str], target: &str) -> String {
    outcome(upgrade(map, &strings(rows), target))
}

fn down(map: &RevisionMap, rows: &[&str], target: &str) -> String {
    outcome(downgrade(map, &strings(rows), target))
}

fn stamped(map: &RevisionMap, rows: &[&str], targets: &[&str], purge: bool) -> String {
    outcome(stamp(map, &strings(rows), &strings(targets), purge))
}

/// `-- Running <kind> <from> -> <to>` as Alembic's offline output writes it.
fn running(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|step| {
            let kind = match step.kind() {
                StepKind::Upgrade => "upgrade",
                StepKind::Downgrade => "downgrade",
                StepKind::Stamp => "stamp_revision",
            };
            format!(
                "-- Running {kind} {} -> {}",
                step.from.join(", "),
                step.to.join(", ")
            )
        })
        .collect()
}

fn describe_step(ops: &[VersionOp]) -> String {
    ops.iter()
        .map(|op| match op {
            VersionOp::Insert { version } => format!("INSERT {version}"),
            VersionOp::Update { from, to } => format!("UPDATE {from}->{to}"),
            VersionOp::Delete { version } => format!("DELETE {version}"),
            VersionOp::DeleteAll => "DELETE ALL".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
