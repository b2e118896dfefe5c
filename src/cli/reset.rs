//! `mig reset`: flags, one library call, the report printed.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::commands::{reset, Error};
use crate::guard::{Confirmation, Terminal};
use crate::reset::{BackupChoice, ResetRequest, Strategy};

use super::seed::SeedArg;
use super::signal::block_online as block_on;
use super::{print, project};
use super::{Format, GlobalArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StrategyArg {
    /// Drop what the revisions own, `upgrade heads`, seed.
    Rebuild,
    /// Empty every table but mig's own, seed.
    Truncate,
    /// `downgrade base`, `upgrade heads`, seed.
    Downgrade,
}

/// `mig reset` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "rebuild")]
    pub strategy: StrategyArg,
    /// Which seeds run afterwards.
    #[arg(long, value_enum, default_value = "required")]
    pub seed: SeedArg,
    /// Show every object to drop or table to empty with its rows, the revisions and
    /// seeds that would run and the backup that would be taken; change nothing.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// Backup directory (default `backups/<UTC time>_<database>/` in `[mig] backup_dir`).
    #[arg(long, value_name = "DIR", conflicts_with = "no_backup")]
    pub backup: Option<PathBuf>,
    /// Reset without taking a backup first.
    #[arg(long = "no-backup")]
    pub no_backup: bool,
    /// The database's name: required for a protected database.
    #[arg(long, value_name = "NAME")]
    pub confirm: Option<String>,
    /// Go ahead without asking (not enough for a protected database).
    #[arg(long)]
    pub yes: bool,
    /// With `--strategy rebuild`: also a database without a version table (drops every
    /// object of its catalog but extensions and `public`).
    #[arg(long)]
    pub all: bool,
}

pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = &project(global)?;
    let request = ResetRequest {
        strategy: match args.strategy {
            StrategyArg::Rebuild => Strategy::Rebuild,
            StrategyArg::Truncate => Strategy::Truncate,
            StrategyArg::Downgrade => Strategy::Downgrade,
        },
        seed: args.seed.into(),
        dry_run: args.dry_run,
        backup: match (args.no_backup, args.backup) {
            (true, _) => BackupChoice::Skip,
            (false, Some(dir)) => BackupChoice::Dir(dir),
            (false, None) => BackupChoice::Default,
        },
        confirmation: Confirmation {
            confirm: args.confirm,
            yes: args.yes,
            interactive: Terminal::is_interactive(),
        },
        all: args.all,
    };
    let report = block_on(reset::run(project, &request))?;
    if global.format == Format::Json {
        print(&crate::json::pretty(&report));
    } else {
        print(&report.text());
    }
    Ok(0)
}
