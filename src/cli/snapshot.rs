//! `mig snapshot`: the catalog snapshot (JSON) of the configured database.

use std::path::PathBuf;

use crate::commands::{snapshot, Error};

use super::signal::runtime;
use super::GlobalArgs;

/// `mig snapshot` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the snapshot JSON to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `mig snapshot`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let config = snapshot::config_or_defaults(&super::load_options(global)?)?;
    let json = runtime()?.block_on(snapshot::snapshot(&config))?.to_json();
    match &args.output {
        Some(path) => super::write_file(path, &json)?,
        None => super::print(&json),
    }
    Ok(0)
}
