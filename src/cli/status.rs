//! `mig status`: every revision's state, the heads, and whether anything is pending.

use crate::commands::status::status;
use crate::commands::Error;

use super::signal::block_online;
use super::{Format, GlobalArgs};

/// `mig status` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exit 1 when a revision is pending or interrupted (for deploy scripts).
    #[arg(long = "exit-code")]
    pub exit_code: bool,
}

/// Runs `mig status`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let found = block_online(status(&project))?;
    super::print(&if global.format == Format::Json {
        found.to_json()
    } else {
        found.text()
    });
    Ok(found.exit_code(args.exit_code))
}
