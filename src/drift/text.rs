//! `mig drift`'s text report: the target and its revisions, then each finding in the
//! roundtrip's words (`extra index public.ix_hand`: only in the live database; `missing`:
//! made by the revisions, gone from it; `changed`: attribute by attribute), and a last
//! line with the count.

use std::fmt::Write as _;

use super::DriftReport;

/// The report as text.
pub fn render(report: &DriftReport) -> String {
    let mut out = String::new();
    let at = match report.revisions.as_slice() {
        [] => "base".to_string(),
        ids => ids
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let _ = writeln!(
        out,
        "drift: `{}` at {at}, compared with its revisions replayed on a private server",
        report.database
    );
    for finding in &report.findings {
        for (n, line) in finding.to_string().lines().enumerate() {
            let indent = if n == 0 { "  " } else { "    " };
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    let _ = writeln!(out, "{}", verdict(report));
    out
}

/// The last line: `no drift: ...` or `DRIFT: n findings (...)`.
pub fn verdict(report: &DriftReport) -> String {
    match report.findings.len() {
        0 => "no drift: the database is what its revisions make".to_string(),
        n => format!(
            "DRIFT: {n} finding{} (extra: only in the database; missing: made by the \
             revisions, not there; changed: differs)",
            if n == 1 { "" } else { "s" }
        ),
    }
}
