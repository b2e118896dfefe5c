//! Test support, the one set of builders for the graph, plan, executor, engine and
//! roundtrip unit tests: revisions written in code ([`rev`] and [`RevisionExt`]), the
//! acceptance graphs of the Alembic reference ([`graphs`]), and hand-made plans with
//! revisions holding SQL for the executor ([`plans`]). Builds values only; no file or
//! database access.

pub(crate) mod graphs;
pub(crate) mod plans;

use std::path::PathBuf;

use super::graph::RevisionMap;
use super::{Downgrade, Revision, Section, TransactionMode};

pub(crate) use graphs::*;
pub(crate) use plans::*;

/// A revision `id` with `down_revision`s, empty bodies and the file
/// `versions/<id>.sql`; chain [`RevisionExt`] methods for more.
pub(crate) fn rev(id: &str, down: &[&str]) -> Revision {
    Revision {
        id: id.to_owned(),
        down_revisions: strings(down),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("msg {id}"),
        create_date: None,
        transaction: TransactionMode::Default,
        downgrade_keeps: Vec::new(),
        upgrade: Section::default(),
        downgrade: Downgrade::Sql(Section::default()),
        path: PathBuf::from(format!("versions/{id}.sql")),
        lines: Default::default(),
    }
}

/// Builder methods on a [`rev`].
pub(crate) trait RevisionExt {
    /// Declares the branch label `label`.
    fn label(self, label: &str) -> Self;
    /// Adds `dep` to `depends_on`.
    fn dep(self, dep: &str) -> Self;
    /// The message and both body sections: each statement ended by `;` and separated by
    /// a blank line, the upgrade section from line 8 and the downgrade from line 20 of
    /// the file, as `regen.py` writes the fixtures' revision files.
    fn sql(self, message: &str, upgrade: &[&str], downgrade: &[&str]) -> Self;
    /// `Transaction: none`.
    fn outside_transaction(self) -> Self;
}

impl RevisionExt for Revision {
    fn label(mut self, label: &str) -> Self {
        self.branch_labels.push(label.to_owned());
        self
    }

    fn dep(mut self, dep: &str) -> Self {
        self.depends_on.push(dep.to_owned());
        self
    }

    fn sql(mut self, message: &str, upgrade: &[&str], downgrade: &[&str]) -> Self {
        let section = |statements: &[&str], line: usize| Section {
            sql: statements
                .iter()
                .map(|s| format!("{s};"))
                .collect::<Vec<_>>()
                .join("\n\n"),
            line,
        };
        self.message = message.to_owned();
        self.upgrade = section(upgrade, 8);
        self.downgrade = Downgrade::Sql(section(downgrade, 20));
        self
    }

    fn outside_transaction(mut self) -> Self {
        self.transaction = TransactionMode::None;
        self
    }
}

/// The graph of `revisions`, which must be valid.
pub(crate) fn map(revisions: Vec<Revision>) -> RevisionMap {
    match RevisionMap::new(revisions) {
        Ok(map) => map,
        Err(err) => panic!("fixture graph is invalid: {err}"),
    }
}

/// Owned copies of `ids`.
pub(crate) fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}
