//! `mig downgrade`: online through the engine, or `--sql` text from the same executor.

use crate::commands::{offline, online, Error};

use super::signal::block_online;
use super::GlobalArgs;

/// `mig downgrade` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Target revision (`base`, an id, `-N`...), or `from:to` with --sql.
    #[arg(allow_hyphen_values = true)]
    pub revision: String,
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
}

/// Runs `mig downgrade`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    if args.sql {
        super::print(&offline::downgrade(&project, &args.revision)?);
    } else {
        block_online(online::downgrade(&project, &args.revision))?;
    }
    Ok(0)
}
