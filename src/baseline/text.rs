//! `mig baseline`'s text report: the matching revision, or the nearest one with the
//! differences in the roundtrip's words, and whether the version table was stamped.

use std::fmt::Write as _;

use super::BaselineReport;

fn revisions(ids: &[String]) -> String {
    match ids {
        [] => "base (an empty schema)".to_string(),
        ids => ids
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The report as text.
pub fn render(report: &BaselineReport, stamp: bool) -> String {
    let mut out = String::new();
    match (&report.matched, &report.nearest) {
        (Some(ids), _) => {
            let _ = writeln!(
                out,
                "baseline: `{}` is at revision {}: its catalog equals the one the revisions make",
                report.database,
                revisions(ids)
            );
        }
        (None, Some(nearest)) => {
            let _ = writeln!(
                out,
                "baseline: no revision matches `{}` exactly; nearest: {} with {} difference{}:",
                report.database,
                revisions(&nearest.revisions),
                nearest.findings.len(),
                if nearest.findings.len() == 1 { "" } else { "s" }
            );
            for finding in &nearest.findings {
                for (n, line) in finding.to_string().lines().enumerate() {
                    let indent = if n == 0 { "  " } else { "    " };
                    let _ = writeln!(out, "{indent}{line}");
                }
            }
        }
        (None, None) => out.push_str("baseline: the history has no revisions\n"),
    }
    if report.stamped {
        out.push_str(
            "stamped: the version table records it; `mig upgrade head` continues from there\n",
        );
    } else if stamp {
        out.push_str("not stamped: no revision matches exactly (make the database match, or `mig stamp REV` by hand)\n");
    }
    out
}
