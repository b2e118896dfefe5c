//! `mig ensure-version`: creates the version table, or prints its DDL with `--sql`.

use crate::commands::{offline, online, Error};

use super::signal::block_online;
use super::GlobalArgs;

/// `mig ensure-version` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
}

/// Runs `mig ensure-version`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    if args.sql {
        super::print(&offline::ensure_version(&project)?);
    } else {
        block_online(online::ensure_version(&project))?;
    }
    Ok(0)
}
