//! `mig show`: one revision.

use crate::commands::{inspect, Error};

use super::{Format, GlobalArgs};

/// `mig show` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revision id, prefix, label or symbol.
    #[arg(allow_negative_numbers = true)]
    pub revision: String,
}

/// Runs `mig show`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    super::print(&inspect::show(
        &project.map,
        &args.revision,
        global.format == Format::Json,
    )?);
    Ok(0)
}
