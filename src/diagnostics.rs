//! The verifiers' findings as diagnostics for CI systems (DESIGN.md, "findings +
//! reports"): one shape - a rule, a level, a message and, where there is one, the file
//! and line of the project it points at - that `roundtrip`
//! ([`crate::roundtrip::Report::diagnostics`]) and `drift`
//! ([`crate::drift::DriftReport::diagnostics`]) make from their reports, and one renderer
//! per CI format over it: SARIF 2.1.0 ([`sarif`]) and GitHub workflow commands
//! ([`github`]). [`locate`] says where a revision's sections and failing statements are.
//! Pure: nothing here reads files or talks to a database.

pub mod github;
pub mod locate;
pub mod sarif;

use std::path::PathBuf;

pub use locate::Sources;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// It fails the run: residue, drift, a failed step.
    Error,
    /// Worth knowing, fails nothing: a check that did not run, and why.
    Note,
}

/// A kind of finding: a stable id and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `roundtrip/downgrade-residue`: stable across versions, for suppressions and
    /// dashboards.
    pub id: &'static str,
    /// The id as one word: `DowngradeResidue`.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it means and what to do.
    pub help: &'static str,
    /// The level of its findings.
    pub level: Level,
}

/// A place in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Relative to the project's directory (the ini file's), or absolute for a file
    /// outside it.
    pub path: PathBuf,
    /// 1-based; `None` for the file as a whole.
    pub line: Option<usize>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The [`Rule::id`] of one of the run's [`Diagnostics::rules`].
    pub rule: &'static str,
    pub level: Level,
    /// The whole message; the first line says it in short.
    pub message: String,
    pub location: Option<Location>,
}

/// Everything one verifier run found, ready for a CI format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The command: `roundtrip`, `drift`.
    pub command: &'static str,
    /// Every rule the command has, found or not (SARIF lists them all).
    pub rules: &'static [Rule],
    pub findings: Vec<Diagnostic>,
    /// The project's directory, absolute: the base of relative locations.
    pub base: PathBuf,
    /// The run's verdict in one line, as the text report ends.
    pub verdict: String,
}

impl Diagnostics {
    /// The rule `id` names.
    pub fn rule(&self, id: &str) -> Option<(usize, &'static Rule)> {
        self.rules.iter().enumerate().find(|(_, r)| r.id == id)
    }
}
