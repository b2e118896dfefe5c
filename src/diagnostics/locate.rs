//! Where a finding about a revision points: the revision's file, relative to the project,
//! at its upgrade or downgrade section, or at the statement that failed when the
//! engine's message names it (``failed at `FILE` line N``). Pure.

use std::path::{Path, PathBuf};

use super::Location;
use crate::revision::graph::RevisionMap;
use crate::revision::{Downgrade, Revision, Section};

/// The project's revision files, for locating findings.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// The project's directory (the ini file's): locations are relative to it.
    pub here: &'a Path,
    pub map: &'a RevisionMap,
}

impl<'a> Sources<'a> {
    pub fn new(here: &'a Path, map: &'a RevisionMap) -> Sources<'a> {
        Sources { here, map }
    }

    /// The first line of revision `id`'s upgrade section.
    pub fn upgrade(&self, id: &str) -> Option<Location> {
        let revision = self.revision(id)?;
        Some(self.at(&revision.path, section_line(&revision.upgrade)))
    }

    /// The first line of revision `id`'s downgrade section (its marker when the section is
    /// empty or `irreversible`).
    pub fn downgrade(&self, id: &str) -> Option<Location> {
        let revision = self.revision(id)?;
        let line = match &revision.downgrade {
            Downgrade::Sql(section) => section_line(section),
            Downgrade::Irreversible { line } => *line,
        };
        Some(self.at(&revision.path, line))
    }

    /// The failing statement an engine message names: `` failed at `<file>` line <n> ``,
    /// where `<file>` is one of the project's revision files.
    pub fn failing_statement(&self, message: &str) -> Option<Location> {
        const AT: &str = "failed at `";
        let mut rest = message;
        while let Some(start) = rest.find(AT) {
            rest = &rest[start + AT.len()..];
            let Some((file, after)) = rest.split_once("` line ") else {
                continue;
            };
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            let known = self
                .map
                .revisions()
                .any(|r| r.revision().path.as_os_str() == file);
            if let (true, Ok(line)) = (known, digits.parse::<usize>()) {
                return Some(self.at(Path::new(file), line));
            }
        }
        None
    }

    fn revision(&self, id: &str) -> Option<&'a Revision> {
        self.map.get(id).map(|r| r.revision())
    }

    fn at(&self, path: &Path, line: usize) -> Location {
        Location {
            path: relative(self.here, path),
            line: Some(line),
        }
    }
}

/// Where a section starts: its first statement, or the line after its marker when it is
/// empty (the parser's `line`), shown as the marker itself.
fn section_line(section: &Section) -> usize {
    if section.sql.trim().is_empty() {
        section.line.saturating_sub(1).max(1)
    } else {
        section.line
    }
}

/// `path` relative to `base` when it is inside it, else as it is.
fn relative(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests;
