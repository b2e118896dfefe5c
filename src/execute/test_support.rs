//! Builders for hand-made revisions and plans in the executor's tests.

use std::path::PathBuf;

use crate::revision::plan::{Plan, Step, StepKind, VersionOp};
use crate::revision::{Downgrade, Revision, Section, TransactionMode};

/// A revision whose sections hold `upgrade`/`downgrade` statements, each ended by `;`
/// and separated by a blank line, as `regen.py` writes the fixtures' revision files.
pub fn rev(
    id: &str,
    down: &[&str],
    message: &str,
    upgrade: &[&str],
    downgrade: &[&str],
) -> Revision {
    let section = |statements: &[&str], line: usize| Section {
        sql: statements
            .iter()
            .map(|s| format!("{s};"))
            .collect::<Vec<_>>()
            .join("\n\n"),
        line,
    };
    Revision {
        id: id.into(),
        down_revisions: down.iter().map(|d| d.to_string()).collect(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: message.into(),
        create_date: None,
        transaction: TransactionMode::Default,
        downgrade_keeps: Vec::new(),
        upgrade: section(upgrade, 8),
        downgrade: Downgrade::Sql(section(downgrade, 20)),
        path: PathBuf::from(format!("versions/{id}.sql")),
        lines: Default::default(),
    }
}

/// The same revision with `Transaction: none`.
pub fn outside_transaction(mut revision: Revision) -> Revision {
    revision.transaction = TransactionMode::None;
    revision
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn step(
    kind: StepKind,
    revision: Option<&str>,
    from: &[&str],
    to: &[&str],
    ops: Vec<VersionOp>,
) -> Step {
    Step {
        kind,
        revision: revision.map(Into::into),
        from: ids(from),
        to: ids(to),
        ops,
    }
}

/// An upgrade step running `revision`.
pub fn up(revision: &str, from: &[&str], to: &[&str], ops: Vec<VersionOp>) -> Step {
    step(StepKind::Upgrade, Some(revision), from, to, ops)
}

/// A downgrade step running `revision`'s downgrade.
pub fn down(revision: &str, from: &[&str], to: &[&str], ops: Vec<VersionOp>) -> Step {
    step(StepKind::Downgrade, Some(revision), from, to, ops)
}

/// A stamp step.
pub fn stamp(from: &[&str], to: &[&str], ops: Vec<VersionOp>) -> Step {
    step(StepKind::Stamp, None, from, to, ops)
}

pub fn ins(version: &str) -> VersionOp {
    VersionOp::Insert {
        version: version.into(),
    }
}

pub fn upd(from: &str, to: &str) -> VersionOp {
    VersionOp::Update {
        from: from.into(),
        to: to.into(),
    }
}

pub fn del(version: &str) -> VersionOp {
    VersionOp::Delete {
        version: version.into(),
    }
}

/// A plan from `start` heads through `steps` to `end` heads.
pub fn plan(start: &[&str], steps: Vec<Step>, end: &[&str]) -> Plan {
    Plan {
        steps,
        start_heads: ids(start),
        end_heads: ids(end),
    }
}

/// Reference section 2's revisions: `aaa111` creates `foo`, `bbb222` adds `bar`.
pub fn linear() -> Vec<Revision> {
    vec![
        rev(
            "aaa111",
            &[],
            "create foo",
            &["CREATE TABLE foo (id INTEGER PRIMARY KEY)"],
            &["DROP TABLE foo"],
        ),
        rev(
            "bbb222",
            &["aaa111"],
            "add bar",
            &["ALTER TABLE foo ADD COLUMN bar VARCHAR(10)"],
            &["ALTER TABLE foo DROP COLUMN bar"],
        ),
    ]
}

/// `upgrade head` over [`linear`] from an empty database.
pub fn linear_upgrade() -> Plan {
    plan(
        &[],
        vec![
            up("aaa111", &[], &["aaa111"], vec![ins("aaa111")]),
            up(
                "bbb222",
                &["aaa111"],
                &["bbb222"],
                vec![upd("aaa111", "bbb222")],
            ),
        ],
        &["bbb222"],
    )
}
