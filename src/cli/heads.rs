//! `mig heads`: the current head revisions.

use crate::commands::{inspect, Error};

use super::{Format, GlobalArgs};

/// `mig heads` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the full header of each revision.
    #[arg(long)]
    pub verbose: bool,
    /// Treat dependency versions as down revisions.
    #[arg(long = "resolve-dependencies")]
    pub resolve_dependencies: bool,
}

/// Runs `mig heads`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    super::print(&inspect::heads(
        &project.map,
        args.verbose,
        args.resolve_dependencies,
        global.format == Format::Json,
    ));
    Ok(0)
}
