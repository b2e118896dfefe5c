//! `mig resolve`: records that an interrupted revision was repaired by hand.

use crate::commands::{online, Error};
use crate::engine::Resolution;

use super::signal::block_online;
use super::GlobalArgs;

/// `mig resolve` flags.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("resolution").required(true).args(["applied", "reverted"]))]
pub struct Args {
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

/// Runs `mig resolve`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let resolution = if args.applied {
        Resolution::Applied
    } else {
        Resolution::Reverted
    };
    super::print(&block_online(online::resolve(
        &project,
        &args.revision,
        resolution,
        &args.reason,
    ))?);
    Ok(0)
}
