//! `mig upgrade`: online through the engine, or `--sql` text from the same executor.

use crate::commands::{offline, online, Error};

use super::signal::block_online;
use super::GlobalArgs;

/// `mig upgrade` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Target revision (`head`, `heads`, an id, `+N`, `label@head`...), or `from:to` with --sql.
    #[arg(allow_hyphen_values = true)]
    pub revision: String,
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
    /// Refuse to run when an applied revision's file changed since it was applied.
    #[arg(long)]
    pub strict: bool,
    /// Continue an interrupted revision at its next statement (after checking that
    /// the database still matches what the interrupted run recorded).
    #[arg(long, conflicts_with = "sql")]
    pub resume: bool,
}

/// Runs `mig upgrade`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    if args.sql {
        super::print(&offline::upgrade(&project, &args.revision)?);
    } else {
        block_online(online::upgrade(
            &project,
            &args.revision,
            args.strict,
            args.resume,
        ))?;
    }
    Ok(0)
}
