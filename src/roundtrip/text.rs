//! The human summary of a [`Report`]: per revision its checks with status and time, each
//! finding under its check naming the revision, then one result line. Pure formatting.

use std::fmt::Write as _;

use super::report::{Check, Report, Status};

/// Renders the report; `timings: false` leaves times out (stable output for tests).
pub fn render(report: &Report, timings: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "mig roundtrip ({}) on {}",
        report.mode.as_str(),
        report.database
    );
    for summary in &report.revisions {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}  {}", summary.revision, summary.message);
        for check in report
            .checks
            .iter()
            .filter(|c| c.revision.as_deref() == Some(summary.revision.as_str()))
        {
            check_lines(&mut out, check, timings);
        }
    }
    let range: Vec<&Check> = report
        .checks
        .iter()
        .filter(|c| c.revision.is_none())
        .collect();
    if !range.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "whole range");
        for check in range {
            check_lines(&mut out, check, timings);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", result_line(report, timings));
    out
}

fn check_lines(out: &mut String, check: &Check, timings: bool) {
    let time = if timings && check.status != Status::Skipped {
        format!(" {} ms", check.duration_ms)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {:<20}{:<8}{}",
        check.check.as_str(),
        check.status.as_str(),
        time
    );
    // Trailing spaces after a status without a time are noise.
    trim_line_end(out);
    let whose = check.title();
    for finding in &check.findings {
        let mut lines = finding.to_string();
        if lines.ends_with('\n') {
            lines.pop();
        }
        let mut lines = lines.lines();
        if let Some(first) = lines.next() {
            let _ = writeln!(out, "    {whose}: {first}");
        }
        for line in lines {
            let _ = writeln!(out, "    {line}");
        }
    }
    for text in [&check.reason, &check.note].into_iter().flatten() {
        for line in text.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

fn trim_line_end(out: &mut String) {
    let body = out.trim_end_matches('\n').trim_end().len();
    out.truncate(body);
    out.push('\n');
}

/// The last line: `roundtrip residue: 2 findings, ...; revisions: ...` (and the time).
pub fn result_line(report: &Report, timings: bool) -> String {
    let count = |status: Status| {
        report
            .revisions
            .iter()
            .filter(|r| r.status == status)
            .count()
    };
    let findings: usize = report.checks.iter().map(|c| c.findings.len()).sum();
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Failed)
        .count();
    let failed = match failed {
        0 => String::new(),
        1 => ", 1 failed check".to_string(),
        n => format!(", {n} failed checks"),
    };
    let mut line = format!(
        "roundtrip {}: {} finding{}{failed}; revisions: {} ok, {} residue, {} failed, {} skipped",
        report.status,
        findings,
        if findings == 1 { "" } else { "s" },
        count(Status::Ok),
        count(Status::Residue),
        count(Status::Failed),
        count(Status::Skipped),
    );
    if timings {
        let _ = write!(line, " ({:.2} s)", report.duration_ms as f64 / 1000.0);
    }
    line
}
