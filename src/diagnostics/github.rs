//! GitHub Actions workflow commands: one annotation per finding, `::error
//! file=F,line=L,title=T::message` (`::notice` for notes; `file` and `line` only where
//! the finding has them), then the verdict as a plain log line. Values are escaped as
//! GitHub's toolkit does: `%`, CR and LF everywhere, and also `:` and `,` in properties.
//! Pure.

use std::fmt::Write as _;

use super::{Diagnostics, Level};

/// The findings as workflow commands, one per line, and the verdict last.
pub fn render(findings: &Diagnostics) -> String {
    let mut out = String::new();
    for finding in &findings.findings {
        let command = match finding.level {
            Level::Error => "error",
            Level::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(at) = &finding.location {
            properties.push(format!("file={}", property(&at.path.display().to_string())));
            if let Some(line) = at.line {
                properties.push(format!("line={line}"));
            }
        }
        let title = match findings.rule(finding.rule) {
            Some((_, rule)) => format!("mig {}: {}", findings.command, rule.summary),
            None => format!("mig {}: {}", findings.command, finding.rule),
        };
        properties.push(format!("title={}", property(&title)));
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(finding.message.trim_end())
        );
    }
    let _ = writeln!(out, "{}", findings.verdict);
    out
}

/// A command's message: `%`, CR and LF escaped.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as [`data`], and `:` and `,` too.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests;
