//! The verifier's results: one [`Check`] per revision and check (upgrade, downgrade,
//! upgrade again) plus the whole-range checks, each with its status, findings, error and
//! timing; summarised per revision. Serialised as the `--format json` output. Pure data.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::catalog::Kind;
use crate::dialect::Dialect;
use crate::diff::{FieldChange, Findings};
use crate::naming::Violation;

use super::keeps::KeepRule;
use super::Mode;

/// How a check ended, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Not run, with a reason (an irreversible revision, an earlier failure).
    Skipped,
    /// Ran, and found something.
    Residue,
    /// Could not run: the database refused a step or a snapshot.
    Failed,
}

impl Status {
    /// `ok`, `skipped`, `residue`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skipped => "skipped",
            Status::Residue => "residue",
            Status::Failed => "failed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The revision applies.
    Upgrade,
    /// Its downgrade restores the state before it.
    Downgrade,
    /// Applying it again restores the state after it.
    UpgradeAgain,
    /// Downgrading the whole range restores the starting state.
    DowngradeAll,
    /// Upgrading the whole range again restores the final state.
    UpgradeAll,
    /// Constraint and index names fit `naming_convention.*` at the end of the range.
    Naming,
}

impl CheckKind {
    /// The check's name in reports: `upgrade again`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Upgrade => "upgrade",
            CheckKind::Downgrade => "downgrade",
            CheckKind::UpgradeAgain => "upgrade again",
            CheckKind::DowngradeAll => "downgrade to start",
            CheckKind::UpgradeAll => "upgrade to end",
            CheckKind::Naming => "naming conventions",
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Present now, absent in the state compared with: left behind.
    Extra,
    /// Absent now, present in the state compared with.
    Missing,
    /// Present in both, with different attributes.
    Changed,
    /// Declared in `Downgrade Keeps:` but not there after the downgrade.
    KeepNotLeft,
    /// Its name does not fit the naming convention.
    Naming,
}

/// One finding: an object (kind and identity) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub problem: Problem,
    pub kind: Kind,
    pub id: String,
    /// The attributes that differ ([`Problem::Changed`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// The declaration ([`Problem::KeepNotLeft`]) or the expected name
    /// ([`Problem::Naming`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Finding {
    /// The findings of a snapshot comparison.
    pub fn from_diff(findings: Findings) -> Vec<Finding> {
        let object = |problem, r: crate::diff::ObjectRef| Finding {
            problem,
            kind: r.kind,
            id: r.id,
            fields: Vec::new(),
            detail: None,
        };
        let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
        out.extend(
            findings
                .extra
                .into_iter()
                .map(|r| object(Problem::Extra, r)),
        );
        out.extend(
            findings
                .missing
                .into_iter()
                .map(|r| object(Problem::Missing, r)),
        );
        out.extend(findings.changed.into_iter().map(|c| Finding {
            problem: Problem::Changed,
            kind: c.kind,
            id: c.id,
            fields: c.fields,
            detail: None,
        }));
        out
    }

    /// A declared keep the downgrade did not leave behind.
    pub fn keep_not_left(rule: &KeepRule) -> Finding {
        Finding {
            problem: Problem::KeepNotLeft,
            kind: rule.kind(),
            id: rule.declared.name.clone(),
            fields: Vec::new(),
            detail: Some(format!("Downgrade Keeps: {rule}")),
        }
    }

    /// A naming-convention violation.
    pub fn naming(violation: Violation) -> Finding {
        let name = if violation.name.is_empty() {
            "unnamed".to_string()
        } else {
            format!("`{}`", violation.name)
        };
        Finding {
            problem: Problem::Naming,
            kind: violation.kind,
            id: violation.id,
            fields: Vec::new(),
            detail: Some(format!(
                "{name}, expected `{}` (naming_convention.{} = {})",
                violation.expected, violation.convention, violation.template
            )),
        }
    }

    /// The first line of the finding: `extra index public.ix_t_a`.
    pub fn headline(&self) -> String {
        match self.problem {
            Problem::Extra => format!("extra {} {}", self.kind, self.id),
            Problem::Missing => format!("missing {} {}", self.kind, self.id),
            Problem::Changed => format!("changed {} {}", self.kind, self.id),
            Problem::KeepNotLeft => {
                format!("declared keep not left behind: {} {}", self.kind, self.id)
            }
            Problem::Naming => format!(
                "{} {}: {}",
                self.kind,
                self.id,
                self.detail.as_deref().unwrap_or_default()
            ),
        }
    }
}

impl fmt::Display for Finding {
    /// The headline, then one line per changed attribute (indented two spaces), unified
    /// diffs of changed bodies indented four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        for field in &self.fields {
            write!(f, "{field}")?;
        }
        Ok(())
    }
}

/// One check of one revision (or of the whole range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The revision checked; `None` for whole-range checks.
    pub revision: Option<String>,
    pub check: CheckKind,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Why it failed (the engine's or the server's message) or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Facts worth showing even when it passed (`stopped at irreversible `x``).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Wall time of the step and the comparison.
    pub duration_ms: u64,
}

impl Check {
    /// A check that ran: `ok`, or `residue` with findings.
    pub fn ran(
        revision: Option<&str>,
        check: CheckKind,
        findings: Vec<Finding>,
        took: Duration,
    ) -> Check {
        Check {
            revision: revision.map(str::to_string),
            check,
            status: if findings.is_empty() {
                Status::Ok
            } else {
                Status::Residue
            },
            findings,
            reason: None,
            note: None,
            duration_ms: millis(took),
        }
    }

    /// A check that could not run because the database refused something.
    pub fn failed(
        revision: Option<&str>,
        check: CheckKind,
        reason: String,
        took: Duration,
    ) -> Check {
        Check {
            revision: revision.map(str::to_string),
            check,
            status: Status::Failed,
            findings: Vec::new(),
            reason: Some(reason),
            note: None,
            duration_ms: millis(took),
        }
    }

    /// A check that was not run, and why.
    pub fn skipped(revision: Option<&str>, check: CheckKind, reason: String) -> Check {
        Check {
            revision: revision.map(str::to_string),
            check,
            status: Status::Skipped,
            findings: Vec::new(),
            reason: Some(reason),
            note: None,
            duration_ms: 0,
        }
    }

    /// The same check with a note.
    pub fn with_note(mut self, note: Option<String>) -> Check {
        self.note = note;
        self
    }
}

/// One revision's overall result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionSummary {
    pub revision: String,
    /// The revision's message (first comment line).
    pub message: String,
    /// The worst status of its checks.
    pub status: Status,
    /// Its checks' time.
    pub duration_ms: u64,
}

/// The whole result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub mode: Mode,
    pub dialect: Dialect,
    /// Where it ran (`a private PostgreSQL server`, `scratch database ... on <URL>`), no
    /// password.
    pub database: String,
    /// The status of the first check that found residue or failed (`ok` when none did):
    /// later failures are often consequences of earlier residue.
    pub status: Status,
    pub revisions: Vec<RevisionSummary>,
    pub checks: Vec<Check>,
    pub duration_ms: u64,
}

impl Report {
    /// Puts a report together: per-revision summaries in the order the revisions were
    /// first checked, and the overall status.
    pub fn new(
        mode: Mode,
        dialect: Dialect,
        database: String,
        messages: &dyn Fn(&str) -> String,
        checks: Vec<Check>,
        took: Duration,
    ) -> Report {
        let mut revisions: Vec<RevisionSummary> = Vec::new();
        for check in &checks {
            let Some(id) = &check.revision else { continue };
            match revisions.iter_mut().find(|r| &r.revision == id) {
                Some(summary) => {
                    summary.status = summary.status.max(check.status);
                    summary.duration_ms += check.duration_ms;
                }
                None => revisions.push(RevisionSummary {
                    revision: id.clone(),
                    message: messages(id),
                    status: check.status,
                    duration_ms: check.duration_ms,
                }),
            }
        }
        // The first problem decides: a step that fails after residue was found usually
        // fails because of it (a leftover view blocks dropping its table).
        let status = checks
            .iter()
            .map(|c| c.status)
            .find(|s| matches!(s, Status::Residue | Status::Failed))
            .unwrap_or(Status::Ok);
        Report {
            mode,
            dialect,
            database,
            status,
            revisions,
            checks,
            duration_ms: millis(took),
        }
    }

    /// SPEC section 5, decided by the first problem: 1 when it is residue, 3 when a step
    /// or snapshot failed, else 0.
    pub fn exit_code(&self) -> i32 {
        match self.status {
            Status::Failed => 3,
            Status::Residue => 1,
            Status::Ok | Status::Skipped => 0,
        }
    }

    /// The report as pretty JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        // Plain strings, numbers and enums: serialising cannot fail.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

fn millis(took: Duration) -> u64 {
    u64::try_from(took.as_millis()).unwrap_or(u64::MAX)
}
