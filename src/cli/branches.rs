//! `mig branches`: the branch points.

use crate::commands::{inspect, Error};

use super::{Format, GlobalArgs};

/// `mig branches` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the full header of each revision.
    #[arg(long)]
    pub verbose: bool,
}

/// Runs `mig branches`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    super::print(&inspect::branches(
        &project.map,
        args.verbose,
        global.format == Format::Json,
    )?);
    Ok(0)
}
