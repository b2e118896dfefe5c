//! `mig runbook`: its flags (clap) and the call into [`crate::commands::runbook`]. Prints
//! the files written on stdout; what failed goes to stderr as `FAILED: ...`.

use std::path::PathBuf;

use clap::Args;

use crate::commands::runbook::{runbook, RunbookRequest};
use crate::commands::Error;
use crate::config::{self, LoadOptions};
use crate::runbook::TargetMode;

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
    pub fn mode(&self) -> TargetMode {
        if self.in_place {
            TargetMode::InPlace
        } else if self.scratch {
            TargetMode::Scratch
        } else {
            TargetMode::Ephemeral
        }
    }
}

/// Runs `mig runbook`; `Ok` carries the exit code of what the runbook found.
pub fn run(global: &GlobalArgs, args: RunbookArgs) -> Result<i32, Error> {
    let mut opts = LoadOptions::from_process().map_err(|e| Error::Write {
        path: ".".into(),
        message: e.to_string(),
    })?;
    opts.config = global.config.clone();
    opts.section = Some(global.name.clone());
    opts.url = global.url.clone();
    let config = config::load(&opts)?;
    let request = RunbookRequest {
        out: args.out,
        dod: args.dod,
        stable: args.stable,
        target: args.target.mode(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Write {
            path: ".".into(),
            message: format!("cannot start the async runtime: {e}"),
        })?;
    let written = runtime.block_on(runbook(&config, &request))?;
    println!("Writing {} ...  done", written.markdown.display());
    println!("Writing {} ...  done", written.json.display());
    if let Some(failure) = written.failure() {
        eprintln!("FAILED: {failure}");
    }
    Ok(written.exit_code())
}
