//! `mig check`: the project against the database; exit 1 with the problems found.

use crate::commands::{inspect, online, Error};

use super::signal::block_online;
use super::{Format, GlobalArgs};

/// Runs `mig check`.
pub fn run(global: &GlobalArgs) -> Result<i32, Error> {
    let project = super::project(global)?;
    let problems = block_online(online::check(&project))?;
    let json = global.format == Format::Json;
    if json {
        super::print(&inspect::check_json(&problems));
    }
    if !problems.is_empty() {
        return Err(Error::CheckFailed(problems));
    }
    if !json {
        super::print("OK: at the heads, applied revisions unchanged, naming conventions hold\n");
    }
    Ok(0)
}
