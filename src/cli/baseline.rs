//! `mig baseline`: the glue that loads the project, hands the configured database to
//! [`crate::baseline::run`], prints its report (text or JSON) and picks the exit code (0
//! a revision matches, 1 only a nearest one, 2 usage, 3 database).

use crate::baseline::{self, text};
use crate::commands::{Error, Project};

use super::load_options;
use super::signal::block_interruptible;
use super::{Format, GlobalArgs};

/// `mig baseline` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Find the revision whose catalog equals the database's (the default).
    #[arg(long)]
    pub detect: bool,
    /// Record the matching revision in the version table (and the history), so that
    /// `mig upgrade` continues from there. Only an exact match is stamped.
    #[arg(long)]
    pub stamp: bool,
}

/// Runs `mig baseline`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    if global.format == Format::Junit {
        return Err(Error::Usage("`mig baseline` prints text or json".into()));
    }
    let project = Project::load(&load_options(global)?)?;
    let url = project.config.database_url()?;
    let report = block_interruptible(|interrupt| async move {
        baseline::run(&project.config, &project.map, &url, args.stamp, interrupt)
            .await
            .map_err(Error::from)
    })?;
    let out = match global.format {
        Format::Json => report.to_json(),
        _ => text::render(&report, args.stamp),
    };
    print!("{out}");
    Ok(report.exit_code())
}
