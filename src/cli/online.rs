//! `mig status` and `mig resolve` (their flags; the doc comments are the `--help` text),
//! and how every online command is run: with SIGINT/SIGTERM caught and passed to the
//! engine as [`Interrupt::process`], which cancels the running statement, rolls back,
//! releases the lock and fails with the state of the database (exit 130 / 143). A second
//! signal exits at once.

use clap::Args;

use crate::commands::status::status;
use crate::commands::{online, Error, Project};
use crate::engine::Resolution;
use crate::execute::Interrupt;

use super::verify::{interrupt, runtime};

/// `mig status` flags.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Exit 1 when a revision is pending or interrupted (for deploy scripts).
    #[arg(long = "exit-code")]
    pub exit_code: bool,
}

/// `mig resolve` flags.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("resolution").required(true).args(["applied", "reverted"]))]
pub struct ResolveArgs {
    /// The interrupted revision.
    pub revision: String,
    /// The rest of the step was done by hand: write the version table as the step would.
    #[arg(long)]
    pub applied: bool,
    /// What the step did was undone by hand: leave the version table as it is.
    #[arg(long)]
    pub reverted: bool,
    /// What was done and why (kept in the history table).
    #[arg(long, required = true)]
    pub reason: String,
}

/// `mig status`: the text or JSON, and the exit code.
pub fn run_status(
    project: &'static Project,
    args: &StatusArgs,
    json: bool,
) -> Result<(String, i32), Error> {
    let found = block_online(status(project))?;
    let code = i32::from(args.exit_code && found.needs_action());
    Ok((if json { found.json() } else { found.text() }, code))
}

/// `mig resolve`: what was recorded.
pub fn run_resolve(project: &Project, args: &ResolveArgs) -> Result<String, Error> {
    let resolution = if args.applied {
        Resolution::Applied
    } else {
        Resolution::Reverted
    };
    block_online(online::resolve(
        project,
        &args.revision,
        resolution,
        &args.reason,
    ))
}

/// Runs an online command's future with the signal handlers installed (see the module
/// header).
pub fn block_online<T>(
    fut: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    runtime()?.block_on(async {
        let first = interrupt()?;
        tokio::spawn(async move {
            let code = first.await;
            Interrupt::process().raise(code);
            if let Ok(again) = interrupt() {
                again.await;
                std::process::exit(code);
            }
        });
        fut.await
    })
}
