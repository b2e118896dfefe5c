//! JUnit XML for CI systems: one `<testcase>` per revision and check (classname
//! `mig.roundtrip.<revision>`, name the check), residue and naming violations as `<failure>`, a failed step as
//! `<error>`, a skipped check as `<skipped>`. Text is escaped for XML 1.0 (characters
//! XML cannot carry are dropped). Pure formatting.

use std::fmt::Write as _;

use super::report::{Check, Report, Status};

/// Renders the report as a JUnit XML document.
pub fn render(report: &Report) -> String {
    let count = |status: Status| report.checks.iter().filter(|c| c.status == status).count();
    let (tests, failures, errors, skipped) = (
        report.checks.len(),
        count(Status::Residue) + count(Status::Violations),
        count(Status::Failed),
        count(Status::Skipped),
    );
    let time = seconds(report.duration_ms);
    let suite = format!("mig roundtrip ({})", report.mode.as_str());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"mig roundtrip\" tests=\"{tests}\" failures=\"{failures}\" \
         errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"{time}\">",
        attr(&suite)
    );
    let _ = writeln!(out, "    <properties>");
    for (name, value) in [
        ("dialect", report.dialect.name().to_string()),
        ("database", report.database.clone()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(&value)
        );
    }
    let _ = writeln!(out, "    </properties>");
    for check in &report.checks {
        testcase(&mut out, check);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn testcase(out: &mut String, check: &Check) {
    let class = match &check.revision {
        Some(id) => format!("mig.roundtrip.{id}"),
        None => "mig.roundtrip.range".to_string(),
    };
    let head = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
        attr(&class),
        attr(check.check.as_str()),
        seconds(check.duration_ms)
    );
    match check.status {
        Status::Ok => {
            let _ = writeln!(out, "{head}/>");
        }
        Status::Residue | Status::Violations => {
            let headlines: Vec<String> = check.findings.iter().map(|f| f.headline()).collect();
            let body: String = check.findings.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "{head}>");
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                check.status,
                attr(&headlines.join("; ")),
                text(&body)
            );
            let _ = writeln!(out, "    </testcase>");
        }
        Status::Failed => {
            let reason = check.reason.as_deref().unwrap_or_default();
            let first = reason.lines().next().unwrap_or_default();
            let _ = writeln!(out, "{head}>");
            let _ = writeln!(
                out,
                "      <error type=\"failed\" message=\"{}\">{}</error>",
                attr(first),
                text(reason)
            );
            let _ = writeln!(out, "    </testcase>");
        }
        Status::Skipped => {
            let _ = writeln!(out, "{head}>");
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                attr(check.reason.as_deref().unwrap_or_default())
            );
            let _ = writeln!(out, "    </testcase>");
        }
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// Whether XML 1.0 can carry `c` at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes element text.
fn text(value: &str) -> String {
    escape(value, false)
}

/// Escapes an attribute value (line breaks and tabs as character references, so parsers
/// keep them instead of normalising them to spaces).
fn attr(value: &str) -> String {
    escape(value, true)
}

/// XML-escapes `value`, dropping characters XML 1.0 does not allow; in an attribute also
/// quotes, line breaks and tabs.
fn escape(value: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
