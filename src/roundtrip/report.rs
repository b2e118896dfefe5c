//! The verifier's results: one [`Check`] per revision and check (upgrade, downgrade,
//! upgrade again) plus the whole-range checks, each with its status, [`Finding`]s, error
//! and timing; summarised per revision. Serialised as the `--format json` output;
//! `ci.rs` turns it into the shared findings of the CI formats. Pure data.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::dialect::Dialect;

use super::finding::Finding;
use super::Mode;

/// How a check ended, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Not run, with a reason (an irreversible revision, an earlier failure).
    Skipped,
    /// The naming-convention check ran and found names that do not fit.
    Violations,
    /// Ran, and found something.
    Residue,
    /// Could not run: the database refused a step or a snapshot.
    Failed,
}

impl Status {
    /// `ok`, `skipped`, `violations`, `residue`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skipped => "skipped",
            Status::Violations => "violations",
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
    /// A check that ran: `ok`, or with findings `residue` (`violations` for the naming
    /// conventions).
    pub fn ran(
        revision: Option<&str>,
        check: CheckKind,
        findings: Vec<Finding>,
        took: Duration,
    ) -> Check {
        Check {
            revision: revision.map(str::to_string),
            check,
            status: match (findings.is_empty(), check) {
                (true, _) => Status::Ok,
                (false, CheckKind::Naming) => Status::Violations,
                (false, _) => Status::Residue,
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

    /// The downgrade and upgrade-again checks of `id`, which is marked irreversible,
    /// skipped with the reason.
    pub fn irreversible(id: &str) -> [Check; 2] {
        let rev = Some(id);
        [
            Check::skipped(
                rev,
                CheckKind::Downgrade,
                format!("`{id}` is marked irreversible: its downgrade cannot run"),
            ),
            Check::skipped(rev, CheckKind::UpgradeAgain, "not downgraded".to_string()),
        ]
    }

    /// `` `rev` upgrade `` or `downgrade to start`: the check in a sentence.
    pub fn title(&self) -> String {
        match &self.revision {
            Some(id) => format!("`{id}` {}", self.check),
            None => self.check.to_string(),
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
            .find(|s| matches!(s, Status::Violations | Status::Residue | Status::Failed))
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

    /// SPEC section 5, decided by the first problem: 1 when it is residue or a naming
    /// violation, 3 when a step or snapshot failed, else 0.
    pub fn exit_code(&self) -> i32 {
        match self.status {
            Status::Failed => 3,
            Status::Residue | Status::Violations => 1,
            Status::Ok | Status::Skipped => 0,
        }
    }

    /// The first check that failed, as `` `rev` upgrade: <reason> `` (the line the CLI
    /// prints after `FAILED:`); `None` when no check failed.
    pub fn failure(&self) -> Option<String> {
        let check = self.checks.iter().find(|c| c.status == Status::Failed)?;
        Some(format!(
            "{}: {}",
            check.title(),
            check.reason.as_deref().unwrap_or("failed")
        ))
    }

    /// The report as pretty JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}

/// After a failure stopped the run: every check of `kinds` that has no result yet, listed
/// as skipped (not reached), so that a report always shows the whole-range checks.
pub fn skip_unreached(checks: &mut Vec<Check>, kinds: &[CheckKind]) {
    let Some(failed) = checks.iter().find(|c| c.status == Status::Failed) else {
        return;
    };
    let reason = format!("not reached: {} failed", failed.title());
    for kind in kinds {
        if !checks
            .iter()
            .any(|c| c.revision.is_none() && c.check == *kind)
        {
            checks.push(Check::skipped(None, *kind, reason.clone()));
        }
    }
}

fn millis(took: Duration) -> u64 {
    u64::try_from(took.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
