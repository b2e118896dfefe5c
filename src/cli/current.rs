//! `mig current`: the revisions the database is at.

use crate::commands::{online, Error};

use super::signal::block_online;
use super::{Format, GlobalArgs};

/// `mig current` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the full header of each revision.
    #[arg(long)]
    pub verbose: bool,
    /// Fail (exit 1) unless the database is at all heads.
    #[arg(long = "check-heads")]
    pub check_heads: bool,
}

/// Runs `mig current`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let json = global.format == Format::Json;
    super::print(&block_online(online::current(
        &project,
        args.verbose,
        args.check_heads,
        json,
    ))?);
    Ok(0)
}
