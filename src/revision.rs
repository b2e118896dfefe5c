//! Revisions: the parsed form of one revision file, the directory scan that finds them,
//! the revision graph (Alembic's `RevisionMap`) and the plans walked over it.
//!
//! Nothing here touches a database; everything is pure and unit-tested.

pub mod directory;
pub mod graph;
pub mod parse;
pub mod plan;

#[cfg(test)]
pub(crate) mod fixture;

use std::path::PathBuf;

/// One revision file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// `Revision ID:` header; unique, no `@ - + :`, at most 32 characters.
    pub id: String,
    /// `Revises:`; empty for a base, several ids for a merge point (in header order).
    pub down_revisions: Vec<String>,
    /// `Branch Labels:`, as declared in this file (not propagated).
    pub branch_labels: Vec<String>,
    /// `Depends On:` ids or labels, as declared.
    pub depends_on: Vec<String>,
    /// First comment line of the file (Alembic's docstring first line).
    pub message: String,
    /// `Create Date:` as written, if present.
    pub create_date: Option<String>,
    /// `Transaction:` header.
    pub transaction: TransactionMode,
    /// `Downgrade Keeps:` declarations.
    pub downgrade_keeps: Vec<Keep>,
    /// The `-- migrate:upgrade` section.
    pub upgrade: Section,
    /// The `-- migrate:downgrade` section, or `Irreversible`.
    pub downgrade: Downgrade,
    /// The file this revision was loaded from.
    pub path: PathBuf,
    /// Where the graph-relevant headers are in that file (for error messages).
    pub lines: HeaderLines,
}

/// 1-based lines of a revision file's headers; `None` when the header is absent (or
/// the revision was not read from a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderLines {
    pub revision_id: Option<usize>,
    pub revises: Option<usize>,
    pub branch_labels: Option<usize>,
    pub depends_on: Option<usize>,
}

impl Revision {
    /// This revision's file, at `line` when known.
    pub fn at(&self, line: Option<usize>) -> FileLine {
        FileLine {
            path: self.path.clone(),
            line,
        }
    }
}

/// A file and, when known, a line in it; shown as `path:line` (or `path`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLine {
    pub path: PathBuf,
    pub line: Option<usize>,
}

impl std::fmt::Display for FileLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// How a revision runs with respect to transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransactionMode {
    /// Whatever the configured mode is (one per run, or one per revision).
    #[default]
    Default,
    /// `Transaction: none`: outside any transaction, statement by statement.
    None,
}

/// A body section of a revision file, verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// The SQL text between this section's marker and the next marker (or end of file),
    /// verbatim, without the marker line. Leading/trailing blank lines trimmed.
    pub sql: String,
    /// 1-based line number in the file of the first line of `sql`.
    pub line: usize,
}

/// The downgrade side of a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Downgrade {
    /// A normal downgrade section (possibly empty).
    Sql(Section),
    /// `-- migrate:downgrade irreversible` at the given 1-based line.
    Irreversible { line: usize },
}

/// One `Downgrade Keeps:` item: an object kind and its qualified name,
/// e.g. `schema zero_admin`, `extension pgcrypto`, `function zero_admin.set_updated_at()`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Keep {
    pub kind: String,
    pub name: String,
}
