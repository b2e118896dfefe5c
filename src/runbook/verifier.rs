//! The roundtrip verifier's report ([`crate::roundtrip::Report`]) as runbook evidence:
//! one check per revision and check (upgrade, downgrade, upgrade again) and per
//! whole-range check, each with its findings or the reason it failed or was skipped, and
//! the per-revision summary with timings; and the verifier's judgements over the
//! runbook's own stages ([`residue_check`], [`again_check`]). Naming findings are left to
//! the constraint section, which judges the same conventions. Pure conversion.

use serde::Serialize;

use super::check::{Check, Status};
use crate::roundtrip::{self, CheckKind, Finding, Report, Residue};

/// One revision's overall roundtrip result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionOutcome {
    pub revision: String,
    pub message: String,
    pub status: Status,
    /// `ok`, `residue`, `failed`, `skipped`, as the verifier says.
    pub verdict: String,
    /// The time of its checks; left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

/// The verifier's checks (naming excluded) and per-revision summary.
pub fn from_report(report: &Report) -> (Vec<Check>, Vec<RevisionOutcome>) {
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
pub fn residue_check(title: &str, residue: &Residue) -> Check {
    if !residue.findings.is_empty() {
        return Check::judged(title, false, listed(&residue.findings));
    }
    let kept = if residue.kept.is_empty() {
        "nothing left behind".to_string()
    } else {
        format!("left behind as declared: {}", residue.kept.join(", "))
    };
    Check::judged(title, true, kept)
}

/// The second upgrade judged by the verifier against the first (`objects` in it).
pub fn again_check(title: &str, objects: usize, findings: &[Finding]) -> Check {
    if findings.is_empty() {
        Check::judged(title, true, format!("{objects} objects, no difference"))
    } else {
        Check::judged(title, false, listed(findings))
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

fn status(status: roundtrip::Status) -> Status {
    match status {
        roundtrip::Status::Ok => Status::Pass,
        roundtrip::Status::Residue | roundtrip::Status::Violations | roundtrip::Status::Failed => {
            Status::Fail
        }
        roundtrip::Status::Skipped => Status::NotRun,
    }
}

fn check(c: &roundtrip::Check) -> Check {
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
    Check::new(title, status(c.status), detail.join("; "))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::catalog::Kind;
    use crate::dialect::Dialect;
    use crate::roundtrip::{Finding, Problem};

    #[test]
    fn statuses_and_details() {
        let residue = Finding {
            problem: Problem::Extra,
            kind: Kind::Table,
            id: "main.audit_log".into(),
            fields: vec![],
            detail: None,
        };
        let took = Duration::from_millis(7);
        let checks = vec![
            roundtrip::Check::ran(Some("a"), CheckKind::Upgrade, vec![], took),
            roundtrip::Check::ran(Some("a"), CheckKind::Downgrade, vec![residue], took),
            roundtrip::Check::failed(Some("b"), CheckKind::Upgrade, "boom".into(), took),
            roundtrip::Check::skipped(None, CheckKind::DowngradeAll, "not reached".into()),
            roundtrip::Check::ran(None, CheckKind::Naming, vec![], took),
        ];
        let report = Report::new(
            roundtrip::Mode::Steps,
            Dialect::Sqlite,
            "a temporary SQLite file".into(),
            &|id| format!("{id} message"),
            checks,
            took,
        );
        let (checks, revisions) = from_report(&report);
        let lines: Vec<String> = checks
            .iter()
            .map(|c| format!("{} {}: {}", c.status.icon(), c.title, c.detail))
            .collect();
        insta::assert_snapshot!(lines.join("\n"), @r"
        ✅ `a`: upgrade: applied
        ❌ `a`: downgrade: extra table main.audit_log
        ❌ `b`: upgrade: boom
        ⏭ whole range: downgrade to start: not reached
        ");
        let summary: Vec<String> = revisions
            .iter()
            .map(|r| format!("{} {} {}", r.revision, r.verdict, r.status.icon()))
            .collect();
        assert_eq!(summary, ["a residue ❌", "b failed ❌"]);
        assert!(procedure(&report).contains("on a temporary SQLite file"));
    }

    #[test]
    fn stage_judgements_name_what_was_kept_or_found() {
        let finding = |problem, id: &str, fields| Finding {
            problem,
            kind: Kind::Table,
            id: id.into(),
            fields,
            detail: None,
        };
        let line = |c: Check| format!("{} {}: {}", c.status.icon(), c.title, c.detail);
        let kept = Residue {
            findings: vec![],
            kept: vec!["schema zero_admin".into(), "extension pgcrypto".into()],
        };
        assert_eq!(
            line(residue_check("down", &kept)),
            "✅ down: left behind as declared: schema zero_admin, extension pgcrypto"
        );
        assert_eq!(
            line(residue_check("down", &Residue::default())),
            "✅ down: nothing left behind"
        );
        let changed = crate::diff::FieldChange {
            field: "row_security".into(),
            before: Some(crate::catalog::Value::Bool(false)),
            after: Some(crate::catalog::Value::Bool(true)),
            cosmetic: None,
            diff: None,
        };
        let residue = Residue {
            findings: vec![
                finding(Problem::Extra, "public.audit_log", vec![]),
                finding(Problem::Changed, "public.users", vec![changed]),
            ],
            kept: vec!["schema zero_admin".into()],
        };
        assert_eq!(
            line(residue_check("down", &residue)),
            "❌ down: extra table public.audit_log; changed table public.users; \
             row_security: false -> true"
        );
        assert_eq!(
            line(again_check("up", 97, &[])),
            "✅ up: 97 objects, no difference"
        );
        let missing = [finding(Problem::Missing, "public.t", vec![])];
        assert_eq!(
            line(again_check("up", 97, &missing)),
            "❌ up: missing table public.t"
        );
    }
}
