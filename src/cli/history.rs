//! `mig history`: the revision history, newest first (reads the database only for
//! `-i` and ranges naming `current`).

use crate::commands::{inspect, online, Error};

use super::signal::block_online;
use super::{Format, GlobalArgs};

/// `mig history` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Range `[start]:[end]` (inclusive; `-1:`, `current:head`).
    #[arg(short = 'r', long = "rev-range", allow_hyphen_values = true)]
    pub rev_range: Option<String>,
    /// Show the full header of each revision.
    #[arg(long)]
    pub verbose: bool,
    /// Mark the current revisions (connects to the database).
    #[arg(short = 'i', long = "indicate-current")]
    pub indicate_current: bool,
}

/// Runs `mig history`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let range = args.rev_range.as_deref();
    let needs = inspect::history_needs(range, args.indicate_current)?;
    let rows = if needs.rows {
        block_online(online::current_rows(&project))?
    } else {
        vec![]
    };
    super::print(&inspect::history(
        &project.map,
        range,
        args.verbose,
        &rows,
        needs,
        global.format == Format::Json,
    )?);
    Ok(0)
}
