//! The roundtrip verifier as one of the runbook's stages: after the three stages, the
//! verifier ([`crate::roundtrip::verify`]) runs on the same database over the whole
//! range (from base unless `--from` says otherwise), its checks become the roundtrip
//! section's evidence, and the state after it is recorded like any stage's.

use std::time::Instant;

use chrono::Utc;

use super::stages::{record_state, StageRun};
use super::Target;
use crate::roundtrip::{self, Mode, Options, Report, Stages};
use crate::runbook::probe::Observer;
use crate::runbook::{roundtrip_evidence, Evidence, Fatal, Mark, RevisionOutcome};

/// The stage's name (and the title of its check when it fails outright).
pub const NAME: &str = "roundtrip verifier";

/// The stage when an earlier one failed.
pub fn not_run(given: &Options, why: String) -> StageRun {
    StageRun::not_run(NAME, command(&options(given)), why)
}

/// What the verifier stage produced.
pub struct Verified {
    pub run: StageRun,
    pub report: Option<Report>,
    pub checks: Vec<Evidence>,
    pub revisions: Vec<RevisionOutcome>,
    pub procedure: Option<String>,
}

/// The verifier's options for a database the stages left at the heads: steps mode
/// starts from base unless a start was given.
pub fn options(given: &Options) -> Options {
    let mut opts = given.clone();
    if opts.mode == Mode::Steps && opts.from.is_none() {
        opts.from = Some("base".into());
    }
    opts
}

/// The `mig roundtrip` command that does the same.
pub fn command(opts: &Options) -> String {
    let mut command = format!("mig roundtrip --mode {}", opts.mode.as_str());
    if let Some(from) = &opts.from {
        command.push_str(&format!(" --from {from}"));
    }
    if let Some(to) = &opts.to {
        command.push_str(&format!(" --to {to}"));
    }
    if opts.column_order {
        command.push_str(" --column-order");
    }
    command
}

/// Runs the verifier on the target and records the state after it.
pub async fn run(
    target: &Target<'_>,
    stages: &Stages<'_>,
    observer: &mut Observer,
    given: &Options,
    database: &str,
) -> Verified {
    let opts = options(given);
    let started = Utc::now();
    let clock = Instant::now();
    let result = roundtrip::verify(target.config, target.map, target.url, database, &opts).await;
    let mut run = StageRun::started(NAME, command(&opts), started, clock.elapsed());
    let (mut report_kept, mut checks, mut revisions, mut procedure) =
        (None, Vec::new(), Vec::new(), None);
    match result {
        Ok(report) => {
            (checks, revisions) = roundtrip_evidence::from_report(&report);
            let failed = report.status == roundtrip::Status::Failed;
            run.stage.status = Mark::judged(!failed);
            run.stage.detail = format!(
                "{} checks over {} revisions, verdict `{}` (the checks are in the roundtrip section)",
                report.checks.len(),
                report.revisions.len(),
                report.status
            );
            if failed {
                let reason = report
                    .checks
                    .iter()
                    .find(|c| c.status == roundtrip::Status::Failed)
                    .and_then(|c| c.reason.clone())
                    .unwrap_or_else(|| "a step failed".into());
                run.fatal = Some(Fatal {
                    at: "the roundtrip verifier".into(),
                    message: reason,
                    exit_code: report.exit_code(),
                });
            }
            procedure = Some(roundtrip_evidence::procedure(&report));
            report_kept = Some(report);
        }
        Err(err) => {
            run.stage.detail = err.to_string();
            checks.push(Evidence::failed(NAME, err.to_string()));
            run.fatal = Some(Fatal {
                at: "the roundtrip verifier".into(),
                message: err.to_string(),
                exit_code: err.exit_code(),
            });
        }
    }
    let succeeded = run.fatal.is_none();
    record_state(target, stages, observer, &mut run, succeeded).await;
    Verified {
        run,
        report: report_kept,
        checks,
        revisions,
        procedure,
    }
}

#[cfg(test)]
mod tests;
