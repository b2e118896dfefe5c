//! The drift report as [`crate::diagnostics`] for the CI formats: one error per object the
//! live database has, lacks or has otherwise than its revisions make it. Drift findings
//! point at no file: the replay goes to the recorded heads in one run, so which
//! revision made an object is not known. Pure.

use super::{text, DriftReport};
use crate::diagnostics::{Diagnostic, Diagnostics, Level, Rule};
use crate::roundtrip::Problem;

/// The drift rules, in the order SARIF lists them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "drift/extra",
        name: "DriftExtra",
        summary: "The database has an object its revisions do not make",
        help: "An object is in the live database but not in its recorded revisions replayed \
               on a private server: it was made by hand (or by a tool other than mig). Write \
               a revision that makes it, or drop it.",
        level: Level::Error,
    },
    Rule {
        id: "drift/missing",
        name: "DriftMissing",
        summary: "An object the revisions make is missing from the database",
        help: "The recorded revisions make the object, but the live database does not have \
               it: it was dropped by hand. Restore it, or write a revision that drops it.",
        level: Level::Error,
    },
    Rule {
        id: "drift/changed",
        name: "DriftChanged",
        summary: "An object differs from what the revisions make",
        help: "The object is in both, with different attributes (listed as `before -> \
               after`, before being what the revisions make): it was changed by hand.",
        level: Level::Error,
    },
];

impl DriftReport {
    /// The report's findings; `base` is the project's directory.
    pub fn diagnostics(&self, base: &std::path::Path) -> Diagnostics {
        let findings = self
            .findings
            .iter()
            .map(|finding| {
                let (rule, whose) = match finding.problem {
                    Problem::Missing => ("drift/missing", "made by its revisions, not there"),
                    Problem::Changed => ("drift/changed", "differs from what its revisions make"),
                    _ => ("drift/extra", "not made by its revisions"),
                };
                let text = finding.to_string();
                let mut lines = text.trim_end().lines();
                let head = lines.next().unwrap_or_default();
                let mut message = format!("{head} in `{}`: {whose}", self.database);
                for line in lines {
                    message.push('\n');
                    message.push_str(line);
                }
                Diagnostic {
                    rule,
                    level: Level::Error,
                    message,
                    location: None,
                }
            })
            .collect();
        Diagnostics {
            command: "drift",
            rules: RULES,
            findings,
            base: base.to_path_buf(),
            verdict: text::verdict(self),
        }
    }
}

#[cfg(test)]
mod tests;
