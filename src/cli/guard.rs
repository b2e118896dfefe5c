//! `mig protect` and `mig unprotect`: flags, one library call, the result printed.

use clap::Args;

use crate::commands::{guard, Error};
use crate::guard::Protection;

use super::signal::block_online as block_on;
use super::{print, project};
use super::{Format, GlobalArgs};

/// `mig protect` flags.
#[derive(Debug, Args)]
pub struct ProtectArgs {
    /// Why the database is protected (kept in the marker and the history table).
    #[arg(long)]
    pub reason: Option<String>,
}

/// `mig unprotect` flags.
#[derive(Debug, Args)]
pub struct UnprotectArgs {
    /// The database's name, as the server reports it.
    #[arg(long, required = true, value_name = "NAME")]
    pub confirm: String,
}

pub fn protect(global: &GlobalArgs, args: ProtectArgs) -> Result<i32, Error> {
    let project = &project(global)?;
    let protection = block_on(guard::protect(project, args.reason.as_deref()))?;
    show(global, &protection);
    Ok(0)
}

pub fn unprotect(global: &GlobalArgs, args: UnprotectArgs) -> Result<i32, Error> {
    let project = &project(global)?;
    let protection = block_on(guard::unprotect(project, &args.confirm))?;
    show(global, &protection);
    Ok(0)
}

fn show(global: &GlobalArgs, protection: &Protection) {
    if global.format == Format::Json {
        print(&crate::json::pretty(protection));
    } else {
        print(&guard::protection_text(protection));
    }
}
