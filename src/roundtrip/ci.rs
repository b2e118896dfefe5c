//! The roundtrip report as [`crate::diagnostics`] for the CI formats: one error per object
//! finding (residue of a downgrade, a second upgrade that differs, a declared keep not
//! left, a name that does not fit) and per failed check, one note per skipped check.
//! A finding of a revision points at its file: at the downgrade section for a downgrade,
//! at the upgrade section otherwise, at the failing statement when the engine's message
//! names it. Whole-range findings point at a file only through a failing statement.
//! Pure.

use super::finding::Problem;
use super::report::{Check, CheckKind, Report, Status};
use super::text;
use crate::diagnostics::{self, Level, Location, Rule, Sources};

/// The roundtrip's rules, in the order SARIF lists them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "roundtrip/downgrade-residue",
        name: "DowngradeResidue",
        summary: "A downgrade does not restore the catalog it started from",
        help: "After the downgrade the catalog differs from the state before the upgrade: an \
               object is left behind (extra), taken away (missing) or changed. Make the \
               downgrade undo exactly what the upgrade did, or declare what it may leave with \
               `-- Downgrade Keeps:`.",
        level: Level::Error,
    },
    Rule {
        id: "roundtrip/upgrade-again-differs",
        name: "UpgradeAgainDiffers",
        summary: "Upgrading again gives a different catalog than the first upgrade",
        help: "After its downgrade, applying the revision again does not give the catalog the \
               first upgrade gave: usually the downgrade left something the upgrade then \
               builds on or skips (`IF NOT EXISTS`).",
        level: Level::Error,
    },
    Rule {
        id: "roundtrip/declared-keep-not-left",
        name: "DeclaredKeepNotLeft",
        summary: "An object declared in `Downgrade Keeps` is not left behind",
        help: "The revision declares that its downgrade keeps an object, but the object is not \
               there after the downgrade: remove the declaration or keep the object.",
        level: Level::Error,
    },
    Rule {
        id: "roundtrip/naming-convention",
        name: "NamingConvention",
        summary: "A constraint or index name does not fit the naming convention",
        help: "At the end of the range a name does not fit `naming_convention.*`; the message \
               gives the expected name.",
        level: Level::Error,
    },
    Rule {
        id: "roundtrip/step-failed",
        name: "StepFailed",
        summary: "An upgrade, a downgrade or a catalog snapshot failed",
        help: "The database refused a step of the roundtrip; the message has the server's \
               error and what was rolled back, the location the failing statement where the \
               engine names it.",
        level: Level::Error,
    },
    Rule {
        id: "roundtrip/not-checked",
        name: "NotChecked",
        summary: "A check did not run",
        help: "The check was skipped, with the reason: an irreversible revision, or an \
               earlier failure it depends on.",
        level: Level::Note,
    },
];

impl Report {
    /// The report's findings, located in the project's revision files.
    pub fn diagnostics(&self, sources: &Sources) -> diagnostics::Diagnostics {
        let mut out = Vec::new();
        for check in &self.checks {
            match check.status {
                Status::Ok => {}
                Status::Residue | Status::Violations => {
                    let at = section(check, sources);
                    for finding in &check.findings {
                        let rule = match (finding.problem, check.check) {
                            (Problem::KeepNotLeft, _) => "roundtrip/declared-keep-not-left",
                            (Problem::Naming, _) => "roundtrip/naming-convention",
                            (_, CheckKind::Downgrade | CheckKind::DowngradeAll) => {
                                "roundtrip/downgrade-residue"
                            }
                            _ => "roundtrip/upgrade-again-differs",
                        };
                        out.push(diagnostics::Diagnostic {
                            rule,
                            level: Level::Error,
                            message: format!("{}: {finding}", check.title())
                                .trim_end()
                                .to_string(),
                            location: at.clone(),
                        });
                    }
                }
                Status::Failed => {
                    let reason = check.reason.as_deref().unwrap_or("failed");
                    out.push(diagnostics::Diagnostic {
                        rule: "roundtrip/step-failed",
                        level: Level::Error,
                        message: format!("{} failed: {reason}", check.title()),
                        location: sources
                            .failing_statement(reason)
                            .or_else(|| section(check, sources)),
                    });
                }
                Status::Skipped => out.push(diagnostics::Diagnostic {
                    rule: "roundtrip/not-checked",
                    level: Level::Note,
                    message: format!(
                        "{} skipped: {}",
                        check.title(),
                        check.reason.as_deref().unwrap_or("not run")
                    ),
                    location: section(check, sources),
                }),
            }
        }
        diagnostics::Diagnostics {
            command: "roundtrip",
            rules: RULES,
            findings: out,
            base: sources.here.to_path_buf(),
            verdict: text::result_line(self, false),
        }
    }
}

/// The section of the check's revision: the downgrade for a downgrade, else the upgrade.
fn section(check: &Check, sources: &Sources) -> Option<Location> {
    let id = check.revision.as_deref()?;
    match check.check {
        CheckKind::Downgrade => sources.downgrade(id),
        _ => sources.upgrade(id),
    }
}

#[cfg(test)]
mod tests;
