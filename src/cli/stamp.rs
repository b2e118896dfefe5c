//! `mig stamp`: online through the engine, or `--sql` text from the same executor.

use crate::commands::{offline, online, Error};

use super::signal::block_online;
use super::GlobalArgs;

/// `mig stamp` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revisions to stamp (ids, `heads`, `-1`, `label@head`...).
    #[arg(required = true, allow_negative_numbers = true)]
    pub revisions: Vec<String>,
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
    /// Delete all version-table rows first.
    #[arg(long)]
    pub purge: bool,
}

/// Runs `mig stamp`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    if args.sql {
        super::print(&offline::stamp(&project, &args.revisions, args.purge)?);
    } else {
        block_online(online::stamp(&project, &args.revisions, args.purge))?;
    }
    Ok(0)
}
