//! `mig roundtrip`, `mig snapshot`, `mig diff`: their flags (the doc comments are the
//! `--help` text) and the glue that hands them to [`crate::commands::verify`], prints the
//! result and picks the exit code. Ctrl-C and SIGTERM are caught here and passed on as
//! an interrupt, so the roundtrip removes what it made before exiting with 130 (143).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use tokio::signal::unix::{signal, SignalKind};

use crate::commands::verify::{self, ReportFormat, RoundtripRequest, VerifyError};
use crate::commands::{Error, Project};
use crate::config::{self, LoadOptions};
use crate::diff::DiffOptions;
use crate::roundtrip::{Mode, Options, Place};

use super::{Format, GlobalArgs};

/// `mig roundtrip` flags.
#[derive(Debug, Args)]
pub struct RoundtripArgs {
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

/// `mig snapshot` flags.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Write the snapshot JSON to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `mig diff` arguments.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The state expected: a snapshot JSON file (`mig snapshot`) or a database URL.
    pub a: String,
    /// The state to compare with it: a snapshot JSON file or a database URL.
    pub b: String,
    /// Report column order differences.
    #[arg(long = "column-order")]
    pub column_order: bool,
    /// Do not report owner differences.
    #[arg(long = "no-owner")]
    pub no_owner: bool,
}

/// Runs `mig roundtrip`.
pub fn roundtrip(global: &GlobalArgs, args: RoundtripArgs) -> Result<i32, Error> {
    let request = RoundtripRequest {
        options: Options {
            mode: match args.mode {
                ModeArg::Steps => Mode::Steps,
                ModeArg::Full => Mode::Full,
            },
            from: args.from,
            to: args.to,
            column_order: args.column_order,
            // The configured database has no room for a second one beside it.
            keep_going: !args.fail_fast && !args.in_place,
        },
        place: if args.in_place {
            Place::InPlace
        } else if args.scratch {
            Place::Scratch
        } else {
            Place::Ephemeral
        },
        yes: args.yes,
        format: match global.format {
            Format::Text => ReportFormat::Text,
            Format::Json => ReportFormat::Json,
            Format::Junit => ReportFormat::Junit,
        },
    };
    if args.runbook {
        return super::runbook::for_roundtrip(global, &request, args.output.as_deref());
    }
    let project = Project::load(&load_options(global)?)?;
    let result = runtime()?.block_on(async {
        let interrupt = interrupt()?;
        Ok::<_, Error>(verify::roundtrip(&project, &request, interrupt).await)
    })?;
    let rendered = match result {
        Ok(rendered) => rendered,
        Err(err) => return Ok(failed(&err)),
    };
    match &args.output {
        Some(path) => {
            write_file(path, &rendered.output)?;
            print(&rendered.summary);
        }
        None => print(&rendered.output),
    }
    if let Some(failure) = rendered.report.failure() {
        eprintln!("FAILED: {failure}");
    }
    Ok(rendered.exit_code)
}

/// Runs `mig snapshot`.
pub fn snapshot(global: &GlobalArgs, args: SnapshotArgs) -> Result<i32, Error> {
    let opts = load_options(global)?;
    let config = match verify::config_or_defaults(config::load(&opts), &opts) {
        Ok(config) => config,
        Err(err) => return Ok(failed(&err)),
    };
    let result = runtime()?.block_on(verify::snapshot(&config));
    let snapshot = match result {
        Ok(snapshot) => snapshot,
        Err(err) => return Ok(failed(&err)),
    };
    match &args.output {
        Some(path) => write_file(path, &snapshot.to_json())?,
        None => print(&snapshot.to_json()),
    }
    Ok(0)
}

/// Runs `mig diff`.
pub fn diff(global: &GlobalArgs, args: DiffArgs) -> Result<i32, Error> {
    if global.format == Format::Junit {
        return Err(Error::Usage(
            "`--format junit` applies to `mig roundtrip`; `mig diff` prints text or json".into(),
        ));
    }
    let opts = load_options(global)?;
    let config = match verify::config_or_defaults(config::load(&opts), &opts) {
        Ok(config) => config,
        Err(err) => return Ok(failed(&err)),
    };
    let diff_opts = DiffOptions {
        column_order: args.column_order,
        owner: !args.no_owner,
    };
    let result = runtime()?.block_on(verify::diff(&args.a, &args.b, &config, &diff_opts));
    let findings = match result {
        Ok(findings) => findings,
        Err(err) => return Ok(failed(&err)),
    };
    if global.format == Format::Json {
        let mut json = serde_json::to_string_pretty(&findings).unwrap_or_default();
        json.push('\n');
        print(&json);
    } else {
        print(&findings.report());
    }
    Ok(if findings.is_empty() { 0 } else { 1 })
}

/// Resolves to 130 on SIGINT and 143 on SIGTERM. The handlers are installed now, so a
/// signal during the run no longer kills the process outright.
pub(super) fn interrupt() -> Result<impl std::future::Future<Output = i32>, Error> {
    let install = |kind| {
        signal(kind).map_err(|e| Error::Usage(format!("cannot install a signal handler: {e}")))
    };
    let mut int = install(SignalKind::interrupt())?;
    let mut term = install(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => 130,
            _ = term.recv() => 143,
        }
    })
}

fn failed(err: &VerifyError) -> i32 {
    eprintln!("FAILED: {err}");
    err.exit_code()
}

/// The config-loading options the global flags select, over the environment's.
pub(super) fn load_options(global: &GlobalArgs) -> Result<LoadOptions, Error> {
    let mut opts = LoadOptions::from_process().map_err(|e| Error::Write {
        path: ".".into(),
        message: e.to_string(),
    })?;
    opts.config = global.config.clone();
    opts.section = Some(global.name.clone());
    opts.url = global.url.clone();
    let flags = [
        ("search_path", &global.search_path),
        ("pooler", &global.pooler),
        ("lock_timeout", &global.lock_timeout),
    ];
    for (key, value) in flags {
        if let Some(value) = value {
            opts.overrides.push((key.to_string(), value.clone()));
        }
    }
    Ok(opts)
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe is not worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
