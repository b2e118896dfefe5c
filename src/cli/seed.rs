//! `mig seed`: flags, one library call, the report printed as text or JSON.

use clap::ValueEnum;

use crate::commands::{seed, Error};
use crate::seed::{list_text, SeedChoice, SeedRequest};

use super::signal::block_online as block_on;
use super::{print, project};
use super::{Format, GlobalArgs};

/// `--seed` of `reset` and `runbook`: which seeds run after the schema is in place.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeedArg {
    /// The required seeds.
    Required,
    /// Required and optional seeds.
    All,
    /// No seed.
    None,
}

impl From<SeedArg> for SeedChoice {
    fn from(arg: SeedArg) -> SeedChoice {
        match arg {
            SeedArg::Required => SeedChoice::Required,
            SeedArg::All => SeedChoice::All,
            SeedArg::None => SeedChoice::None,
        }
    }
}

/// `mig seed` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seeds to run (by their `Seed:` name), even when applied; default: the required
    /// seeds not applied yet.
    pub names: Vec<String>,
    /// Optional seeds too.
    #[arg(long)]
    pub all: bool,
    /// Also run applied seeds whose file changed since they ran.
    #[arg(long)]
    pub sync: bool,
    /// List every seed with its kind, order and state; runs nothing.
    #[arg(long)]
    pub list: bool,
    /// Run the selected seeds in a transaction that is rolled back, reporting the rows
    /// each statement would change.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
}

pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = &project(global)?;
    let json = global.format == Format::Json;
    if args.list {
        let entries = block_on(seed::list(project))?;
        if json {
            print(&crate::json::pretty(&entries));
        } else {
            print(&list_text(&entries));
        }
        return Ok(0);
    }
    let request = SeedRequest {
        names: args.names,
        all: args.all,
        sync: args.sync,
        dry_run: args.dry_run,
    };
    let report = block_on(seed::run(project, &request))?;
    print(&if json {
        report.to_json()
    } else {
        report.text()
    });
    Ok(0)
}
