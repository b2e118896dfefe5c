//! The library side of `mig roundtrip`: resolved inputs in, the report rendered in the
//! requested format and an exit code out. Never parses arguments, never prints, never
//! installs signal handlers (the interrupt arrives as a future).

use std::future::Future;

use crate::diagnostics::{github, sarif, Sources};
use crate::roundtrip::{self, junit, text, Options, Place, Report};

use super::{Error, Project};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
    Junit,
    /// SARIF 2.1.0 ([`crate::diagnostics::sarif`]).
    Sarif,
    /// GitHub workflow annotations ([`crate::diagnostics::github`]).
    Github,
}

/// `mig roundtrip`, resolved.
#[derive(Debug, Clone, Default)]
pub struct RoundtripRequest {
    pub options: Options,
    /// Where it runs ([`Place::from_flags`] holds the `--in-place` needs `--yes` rule).
    pub place: Place,
    pub format: ReportFormat,
}

/// A finished roundtrip: the report, rendered, and its exit code.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub report: Report,
    /// In the requested format.
    pub output: String,
    /// The text summary (what stdout shows when the report goes to a file).
    pub summary: String,
    pub exit_code: i32,
}

impl Rendered {
    /// The exit code, or the first failed check as the error (the report itself is
    /// already printed).
    pub fn finish(&self) -> Result<i32, Error> {
        match self.report.failure() {
            Some(message) => Err(Error::Failed {
                message,
                code: self.exit_code,
            }),
            None => Ok(self.exit_code),
        }
    }
}

/// `mig roundtrip`: verifies the project on the database `request.place` names, stopping
/// (and cleaning up) when `interrupt` resolves to an exit code first.
pub async fn roundtrip<I>(
    project: &Project,
    request: &RoundtripRequest,
    interrupt: I,
) -> Result<Rendered, Error>
where
    I: Future<Output = i32>,
{
    let report = roundtrip::run(
        &project.config,
        &project.map,
        request.place,
        &request.options,
        interrupt,
    )
    .await?;
    let sources = Sources::new(&project.config.here, &project.map);
    Ok(render(report, request.format, &sources))
}

/// Renders a report in `format` (text with timings); `sources` locate the findings of
/// the CI formats in the revision files.
pub fn render(report: Report, format: ReportFormat, sources: &Sources) -> Rendered {
    let summary = text::render(&report, true);
    let output = match format {
        ReportFormat::Text => summary.clone(),
        ReportFormat::Json => report.to_json(),
        ReportFormat::Junit => junit::render(&report),
        ReportFormat::Sarif => sarif::render(&report.diagnostics(sources)),
        ReportFormat::Github => github::render(&report.diagnostics(sources)),
    };
    let exit_code = report.exit_code();
    Rendered {
        report,
        output,
        summary,
        exit_code,
    }
}
