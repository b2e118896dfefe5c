//! `mig roundtrip`: the verifier on a throwaway database (or, with `--runbook`, the
//! runbook with the verifier's options). The report goes to stdout (or `-o FILE`, the
//! text summary then on stdout); the first failed check comes back as the error.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::commands::roundtrip::{self, ReportFormat, RoundtripRequest};
use crate::commands::{Error, Project};
use crate::roundtrip::{Mode, Options, Place};

use super::signal::block_interruptible;
use super::{Format, GlobalArgs};

/// `mig roundtrip` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `steps`: every revision on its own (upgrade, downgrade, upgrade again), then the
    /// whole range; `full`: upgrade to one below the target, to the target, downgrade one,
    /// upgrade again.
    #[arg(long, value_enum, default_value_t = ModeArg::Steps)]
    pub mode: ModeArg,
    /// Start of the range (exclusive; the database is moved there first). Default: where
    /// the database is, base for a fresh one. Steps mode only.
    #[arg(long, value_name = "REV")]
    pub from: Option<String>,
    /// End of the range. Default: `heads` (steps), `head` (full).
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    /// Run on a private PostgreSQL server started for the run (a temp file for SQLite).
    /// The default.
    #[arg(long, conflicts_with_all = ["scratch", "in_place"])]
    pub ephemeral: bool,
    /// Run on a temporary database created on the configured server, dropped afterwards.
    #[arg(long, conflicts_with = "in_place")]
    pub scratch: bool,
    /// Run on the configured database itself (needs --yes).
    #[arg(long = "in-place")]
    pub in_place: bool,
    /// Confirm --in-place.
    #[arg(long)]
    pub yes: bool,
    /// Report column order differences (cosmetic; off by default).
    #[arg(long = "column-order")]
    pub column_order: bool,
    /// Write the report (in --format) to FILE; stdout then gets the text summary.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Stop at the first failed step. Default: report it, bring a fresh database to the
    /// next revision and go on (not with --in-place).
    #[arg(long = "fail-fast")]
    pub fail_fast: bool,
    /// Also write the runbook (Markdown + JSON in `[mig] runbook_dir`), as `mig runbook` does.
    #[arg(long)]
    pub runbook: bool,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Steps,
    Full,
}

/// Runs `mig roundtrip`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let request = RoundtripRequest {
        options: Options {
            mode: match args.mode {
                ModeArg::Steps => Mode::Steps,
                ModeArg::Full => Mode::Full,
            },
            from: args.from,
            to: args.to,
            column_order: args.column_order,
            // Never with --in-place: `Options::at` decides.
            keep_going: !args.fail_fast,
        },
        place: Place::from_flags(args.in_place, args.scratch, args.yes)?,
        format: match global.format {
            Format::Text => ReportFormat::Text,
            Format::Json => ReportFormat::Json,
            Format::Junit => ReportFormat::Junit,
            Format::Sarif => ReportFormat::Sarif,
            Format::Github => ReportFormat::Github,
        },
    };
    if args.runbook {
        return super::runbook::for_roundtrip(global, &request, args.output.as_deref());
    }
    let project = Project::load(&super::load_options(global)?)?;
    let rendered = block_interruptible(|interrupt| async move {
        roundtrip::roundtrip(&project, &request, interrupt).await
    })?;
    super::show_report(&rendered, args.output.as_deref())?;
    rendered.finish()
}
