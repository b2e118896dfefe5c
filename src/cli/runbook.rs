//! `mig runbook` (its flags) and `mig roundtrip --runbook`: the calls into
//! [`crate::commands::runbook`]. `mig runbook` prints the files written and the verdict
//! line (`PASSED: 57 checks (...), written to <file>.md`) on stdout; `mig roundtrip
//! --runbook` prints the verifier's report there, as `mig roundtrip` does, and the files
//! and the verdict on stderr. What failed comes back as the error. Ctrl-C stops the run;
//! the target is removed and the runbook says it was interrupted.

use std::path::{Path, PathBuf};

use crate::commands::roundtrip::{render, RoundtripRequest};
use crate::commands::runbook::{runbook, RunbookRequest, Written};
use crate::commands::{Error, Project};
use crate::config;
use crate::diagnostics::Sources;
use crate::roundtrip::{Options, Place};
use crate::seed::SeedChoice;

use super::seed::SeedArg;
use super::signal::block_interruptible;
use super::GlobalArgs;

/// `mig runbook` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
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
    /// Which seeds to apply after the verifier, before the DoD checks (as `mig seed`,
    /// `mig seed --all`); every seed's state is reported either way.
    #[arg(long, value_enum, default_value = "required")]
    pub seed: SeedArg,
    /// Confirms `--in-place`.
    #[arg(long)]
    pub yes: bool,
}

/// Where the stages run.
#[derive(Debug, clap::Args)]
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
    #[arg(long = "in-place")]
    pub in_place: bool,
}

/// Runs `mig runbook`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let request = RunbookRequest {
        out: args.out,
        dod: args.dod,
        stable: args.stable,
        target: Place::from_flags(args.target.in_place, args.target.scratch, args.yes)?,
        roundtrip: Options::default(),
        seed: args.seed.into(),
    };
    let written = write(global, &request)?;
    super::print(&format!("{}\n", written.lines()));
    written.finish()
}

/// Runs `mig roundtrip --runbook`: the runbook with the verifier's options, and the
/// verifier's report printed (or written to `output`) in the requested format.
pub fn for_roundtrip(
    global: &GlobalArgs,
    roundtrip: &RoundtripRequest,
    output: Option<&Path>,
) -> Result<i32, Error> {
    let request = RunbookRequest {
        out: None,
        dod: None,
        stable: false,
        target: roundtrip.place,
        roundtrip: roundtrip.options.clone(),
        seed: SeedChoice::Required,
    };
    let written = write(global, &request)?;
    eprintln!("{}", written.lines());
    if let Some(report) = &written.report {
        // The report exists only when the revisions loaded.
        let project = Project::load(&super::load_options(global)?)?;
        let sources = Sources::new(&project.config.here, &project.map);
        super::show_report(&render(report.clone(), roundtrip.format, &sources), output)?;
    }
    written.finish()
}

fn write(global: &GlobalArgs, request: &RunbookRequest) -> Result<Written, Error> {
    let config = config::load(&super::load_options(global)?)?;
    block_interruptible(|interrupt| async move { runbook(&config, request, interrupt).await })
}
