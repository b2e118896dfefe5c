//! `mig drift`: the glue that loads the project, hands the configured database to
//! [`crate::drift::run`], prints its report (text or JSON) and picks the exit code (0 no
//! drift, 1 drift, 2 unknown revisions or usage, 3 database).

use clap::Args;

use crate::commands::Project;
use crate::drift::{self, text};

use super::verify::{interrupt, load_options, runtime};
use super::{Format, GlobalArgs};

/// `mig drift` flags.
#[derive(Debug, Args)]
pub struct DriftArgs {}

/// Runs `mig drift`.
pub fn drift(global: &GlobalArgs, _args: DriftArgs) -> Result<i32, crate::commands::Error> {
    if global.format == Format::Junit {
        return Err(crate::commands::Error::Usage(
            "`mig drift` prints text or json".into(),
        ));
    }
    let project = Project::load(&load_options(global)?)?;
    let url = project.config.database_url()?;
    let result = runtime()?.block_on(async {
        let interrupt = interrupt()?;
        Ok::<_, crate::commands::Error>(
            drift::run(&project.config, &project.map, &url, interrupt).await,
        )
    })?;
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            eprintln!("FAILED: {err}");
            return Ok(err.exit_code());
        }
    };
    let out = match global.format {
        Format::Json => report.to_json(),
        _ => text::render(&report),
    };
    print!("{out}");
    Ok(report.exit_code())
}
