//! The roundtrip verifier's report ([`crate::roundtrip::Report`]) as runbook evidence:
//! one check per revision and check (upgrade, downgrade, upgrade again) and per
//! whole-range check, each with its findings or the reason it failed or was skipped, and
//! the per-revision summary with timings; and the verifier's judgements over the
//! runbook's own stages ([`residue_check`], [`again_check`]). Naming findings are left to
//! the constraint section, which judges the same conventions. Pure conversion.

use serde::Serialize;

use super::evidence::{Evidence, Mark};
use crate::roundtrip::{self, CheckKind, Finding, Report, Residue};

/// One revision's overall roundtrip result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionOutcome {
    pub revision: String,
    pub message: String,
    pub status: Mark,
    /// `ok`, `residue`, `failed`, `skipped`, as the verifier says.
    pub verdict: String,
    /// The time of its checks; left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

/// The verifier's checks (naming excluded) and per-revision summary.
pub fn from_report(report: &Report) -> (Vec<Evidence>, Vec<RevisionOutcome>) {
    let checks = report
        .checks
        .iter()
        .filter(|c| c.check != CheckKind::Naming)
        .map(check)
        .collect();
    let revisions = report
        .revisions
        .iter()
        .map(|r| RevisionOutcome {
            revision: r.revision.clone(),
            message: r.message.clone(),
            status: status(r.status),
            verdict: r.status.as_str().to_string(),
            duration_ms: Some(r.duration_ms as f64),
        })
        .collect();
    (checks, revisions)
}

/// How the verifier ran, in words.
pub fn procedure(report: &Report) -> String {
    match report.mode {
        roundtrip::Mode::Steps => format!(
            "The roundtrip verifier (`mig roundtrip --mode steps`) on {}: every revision \
             upgraded, downgraded (compared with the catalog before it) and upgraded again \
             (compared with the catalog after it), then the whole range downgraded \
             (compared with the start) and upgraded again.",
            report.database
        ),
        roundtrip::Mode::Full => format!(
            "The roundtrip verifier (`mig roundtrip --mode full`, seed 003's U1-P5) on {}: \
             upgrade to one below the last revision (S0), upgrade (S1), downgrade one \
             (compared with S0), upgrade again (compared with S1).",
            report.database
        ),
    }
}

/// The downgrade to base judged by the verifier: passes when nothing beyond the declared
/// keeps was left behind, naming what was kept.
pub fn residue_check(title: &str, residue: &Residue) -> Evidence {
    if !residue.findings.is_empty() {
        return Evidence::judged(title, false, listed(&residue.findings));
    }
    let kept = if residue.kept.is_empty() {
        "nothing left behind".to_string()
    } else {
        format!("left behind as declared: {}", residue.kept.join(", "))
    };
    Evidence::judged(title, true, kept)
}

/// The second upgrade judged by the verifier against the first (`objects` in it).
pub fn again_check(title: &str, objects: usize, findings: &[Finding]) -> Evidence {
    if findings.is_empty() {
        Evidence::judged(title, true, format!("{objects} objects, no difference"))
    } else {
        Evidence::judged(title, false, listed(findings))
    }
}

/// Findings on one line: each line of each finding, `; `-separated.
fn listed(findings: &[Finding]) -> String {
    findings
        .iter()
        .flat_map(|f| {
            f.to_string()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn status(status: roundtrip::Status) -> Mark {
    match status {
        roundtrip::Status::Ok => Mark::Pass,
        roundtrip::Status::Residue | roundtrip::Status::Violations | roundtrip::Status::Failed => {
            Mark::Fail
        }
        roundtrip::Status::Skipped => Mark::NotRun,
    }
}

fn check(c: &roundtrip::Check) -> Evidence {
    let title = match &c.revision {
        Some(id) => format!("`{id}`: {}", c.check),
        None => format!("whole range: {}", c.check),
    };
    let mut detail: Vec<String> = c.findings.iter().map(|f| f.headline()).collect();
    if let Some(reason) = &c.reason {
        detail.push(reason.clone());
    }
    if let Some(note) = &c.note {
        detail.push(note.clone());
    }
    if detail.is_empty() {
        detail.push(match c.check {
            CheckKind::Upgrade => "applied".into(),
            _ => "no difference".into(),
        });
    }
    Evidence::new(title, status(c.status), detail.join("; "))
}

#[cfg(test)]
mod tests;
