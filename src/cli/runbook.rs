//! `mig runbook` (its flags, clap) and `mig roundtrip --runbook`: the calls into
//! [`crate::commands::runbook`]. `mig runbook` prints the files written and the verdict
//! line (`PASSED: 57 checks (...), written to <file>.md`) on stdout; `mig roundtrip
//! --runbook` prints the verifier's report there, as `mig roundtrip` does, and the files
//! and the verdict on stderr. What failed goes to stderr as `FAILED: ...`. Ctrl-C
//! stops the run; the target is removed and the runbook says it was interrupted.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::runbook::{runbook, RunbookRequest, Written};
use crate::commands::verify::{render, RoundtripRequest};
use crate::commands::Error;
use crate::config::{self, Config};
use crate::roundtrip::{Options, Place};

use super::verify::{interrupt, load_options, runtime};
use super::GlobalArgs;

/// `mig runbook` flags.
#[derive(Debug, Args)]
pub struct RunbookArgs {
    /// Directory to write the runbook into (default `[mig] runbook_dir`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Definition-of-Done checks, TOML (default `dod.toml` beside the ini file, if any).
    #[arg(long, value_name = "FILE")]
    pub dod: Option<PathBuf>,
    /// Leave out what varies between runs (times, durations, dates, operator, git commit,
    /// server minor version, temporary paths), for snapshot tests and committed examples.
    #[arg(long)]
    pub stable: bool,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Confirms `--in-place`.
    #[arg(long)]
    pub yes: bool,
}

/// Where the stages run.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct TargetArgs {
    /// A private PostgreSQL server (or a temp SQLite file), removed afterwards (default).
    #[arg(long)]
    pub ephemeral: bool,
    /// A temporary database on the configured server, dropped afterwards.
    #[arg(long)]
    pub scratch: bool,
    /// The configured database itself: upgrades, downgrades to base and upgrades it again
    /// (needs `--yes`).
    #[arg(long = "in-place", requires = "yes")]
    pub in_place: bool,
}

impl TargetArgs {
    /// The selected mode.
    pub fn mode(&self) -> Place {
        Place::from_flags(self.in_place, self.scratch)
    }
}

/// Runs `mig runbook`; `Ok` carries the exit code of what the runbook found.
pub fn run(global: &GlobalArgs, args: RunbookArgs) -> Result<i32, Error> {
    let config = load(global)?;
    let request = RunbookRequest {
        out: args.out,
        dod: args.dod,
        stable: args.stable,
        target: args.target.mode(),
        roundtrip: Options::default(),
    };
    let written = write(&config, &request)?;
    print(&format!(
        "Writing {} ...  done\nWriting {} ...  done\n{}\n",
        written.markdown.display(),
        written.json.display(),
        written.verdict()
    ));
    Ok(finish(&written))
}

/// Runs `mig roundtrip --runbook`: the runbook with the verifier's options, and the
/// verifier's report printed (or written to `output`) in the requested format.
pub fn for_roundtrip(
    global: &GlobalArgs,
    roundtrip: &RoundtripRequest,
    output: Option<&Path>,
) -> Result<i32, Error> {
    if roundtrip.place == Place::InPlace && !roundtrip.yes {
        return Err(Error::Usage(
            "`--in-place` runs upgrades and downgrades on the configured database itself; \
             add `--yes` to confirm"
                .into(),
        ));
    }
    let config = load(global)?;
    let request = RunbookRequest {
        out: None,
        dod: None,
        stable: false,
        target: roundtrip.place,
        roundtrip: roundtrip.options.clone(),
    };
    let written = write(&config, &request)?;
    eprintln!(
        "Writing {} ...  done\nWriting {} ...  done\n{}",
        written.markdown.display(),
        written.json.display(),
        written.verdict()
    );
    if let Some(report) = &written.report {
        let rendered = render(report.clone(), roundtrip.format);
        match output {
            Some(path) => {
                std::fs::write(path, &rendered.output).map_err(|e| Error::Write {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
                print(&rendered.summary);
            }
            None => print(&rendered.output),
        }
    }
    Ok(finish(&written))
}

fn load(global: &GlobalArgs) -> Result<Config, Error> {
    Ok(config::load(&load_options(global)?)?)
}

fn write(config: &Config, request: &RunbookRequest) -> Result<Written, Error> {
    runtime()?.block_on(async {
        let interrupt = interrupt()?;
        runbook(config, request, interrupt).await
    })
}

/// Reports what failed on stderr; the exit code.
fn finish(written: &Written) -> i32 {
    if let Some(failure) = written.failure() {
        eprintln!("FAILED: {failure}");
    }
    written.exit_code()
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
