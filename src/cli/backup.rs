//! `mig backup`: flags, one library call, the result printed.

use std::path::PathBuf;

use crate::commands::{backup, Error};

use super::signal::block_online as block_on;
use super::{print, project};
use super::{Format, GlobalArgs};

/// `mig backup` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write (default `backups/<UTC time>_<database>/` in `[mig] backup_dir`).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = &project(global)?;
    let done = block_on(backup::run(project, args.out.as_deref()))?;
    if global.format == Format::Json {
        print(&crate::json::pretty(&done));
    } else {
        print(&done.text());
    }
    Ok(0)
}
