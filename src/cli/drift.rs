//! `mig drift`: the glue that loads the project, hands the configured database to
//! [`crate::drift::run`], prints its report (text, JSON, SARIF or GitHub annotations) and
//! picks the exit code (0 no drift, 1 drift, 2 unknown revisions or usage, 3 database).

use crate::commands::{Error, Project};
use crate::diagnostics::{github, sarif};
use crate::drift::{self, text};

use super::load_options;
use super::signal::block_interruptible;
use super::{Format, GlobalArgs};

/// `mig drift` flags.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mig drift`.
pub fn run(global: &GlobalArgs, _args: Args) -> Result<i32, crate::commands::Error> {
    if global.format == Format::Junit {
        return Err(crate::commands::Error::Usage(
            "`mig drift` prints text, json, sarif or github".into(),
        ));
    }
    let project = Project::load(&load_options(global)?)?;
    let url = project.config.database_url()?;
    let here = project.config.here.clone();
    let report = block_interruptible(|interrupt| async move {
        drift::run(&project.config, &project.map, &url, interrupt)
            .await
            .map_err(Error::from)
    })?;
    let out = match global.format {
        Format::Json => report.to_json(),
        Format::Sarif => sarif::render(&report.diagnostics(&here)),
        Format::Github => github::render(&report.diagnostics(&here)),
        Format::Text | Format::Junit => text::render(&report),
    };
    print!("{out}");
    Ok(report.exit_code())
}
