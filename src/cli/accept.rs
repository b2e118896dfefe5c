//! `mig accept`: records the current checksum of a revision changed on purpose.

use crate::commands::{online, Error};

use super::signal::block_online;
use super::GlobalArgs;

/// `mig accept` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The revision.
    #[arg(allow_negative_numbers = true)]
    pub revision: String,
    /// Why the change is fine (kept in the history table).
    #[arg(long, required = true)]
    pub reason: String,
}

/// Runs `mig accept`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    super::print(&block_online(online::accept(
        &project,
        &args.revision,
        &args.reason,
    ))?);
    Ok(0)
}
