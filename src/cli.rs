//! The command line: clap types (their doc comments are the `--help` text), one file
//! per command, and the one dispatch in [`run`]. Each command file parses its flags,
//! calls one library function and prints what it returns; errors come back to [`main`],
//! which prints the one `FAILED: ...` line and exits with the error's code.
//!
//! Adding a command: a file `cli/<name>.rs` with its `Args` struct and
//! `pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error>`, a `mod` line
//! below, a variant in [`Command`] and an arm in [`run`].

mod accept;
mod backup;
mod baseline;
mod branches;
mod check;
mod current;
mod diff;
mod downgrade;
mod drift;
mod ensure_version;
mod guard;
mod heads;
mod history;
mod import;
mod init;
pub mod logging;
mod merge;
mod reset;
mod resolve;
mod revision;
mod roundtrip;
mod runbook;
mod seed;
mod show;
mod signal;
mod snapshot;
mod stamp;
mod status;
mod upgrade;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{Error, Project};
use crate::config::LoadOptions;

/// Alembic-compatible migrations for SQL revision files, with a roundtrip verifier.
#[derive(Debug, Parser)]
#[command(name = "mig", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file (env MIG_CONFIG, then ALEMBIC_CONFIG, else ./alembic.ini).
    #[arg(short = 'c', long = "config", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Section of the configuration file to read.
    #[arg(short = 'n', long = "name", global = true, default_value = "alembic")]
    pub name: String,
    /// Database URL; overrides `sqlalchemy.url`.
    #[arg(long = "url", global = true, value_name = "URL")]
    pub url: Option<String>,
    /// More log output (repeat for more).
    #[arg(id = "log_verbosity", short = 'v', long = "verbose-log", global = true, action = clap::ArgAction::Count)]
    pub log_verbosity: u8,
    /// Only warnings and errors on stderr.
    #[arg(short = 'q', long = "quiet", global = true)]
    pub quiet: bool,
    /// Output format for commands that print data.
    #[arg(long = "format", global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// PostgreSQL `search_path` for migration sessions; overrides `[mig] search_path`.
    #[arg(long = "search-path", global = true, value_name = "SCHEMAS")]
    pub search_path: Option<String>,
    /// `auto`, `none` or `transaction`: whether the URL is a transaction-mode pooler
    /// (Supabase port 6543, PgBouncer); overrides `[mig] pooler`.
    #[arg(long = "pooler", global = true, value_name = "MODE")]
    pub pooler: Option<String>,
    /// Longest wait for the migration lock (`30s`, `2m`); overrides `[mig] lock_timeout`.
    #[arg(long = "lock-timeout", global = true, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
}

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// JUnit XML (`mig roundtrip` only).
    Junit,
    /// SARIF 2.1.0 (`mig roundtrip`, `mig drift`).
    Sarif,
    /// GitHub workflow annotations, `::error file=F,line=L::message` (`mig roundtrip`,
    /// `mig drift`).
    Github,
}

impl Format {
    /// The verifiers' CI formats: SARIF and GitHub annotations.
    fn is_ci(self) -> bool {
        matches!(self, Format::Sarif | Format::Github)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new mig project: alembic.ini, versions/, templates/, runbook/.
    Init(init::Args),
    /// Create a new revision file.
    Revision(revision::Args),
    /// Create a merge revision joining two or more heads.
    Merge(merge::Args),
    /// Upgrade to a later revision.
    Upgrade(upgrade::Args),
    /// Revert to a previous revision.
    Downgrade(downgrade::Args),
    /// Set the version table to the given revisions without running any migration.
    Stamp(stamp::Args),
    /// Show the revisions the database is at.
    Current(current::Args),
    /// Create the version table (and its schema) if missing.
    EnsureVersion(ensure_version::Args),
    /// Check the project against the database: at the heads, applied files unchanged,
    /// naming conventions hold. Exit 1 with a list otherwise.
    Check,
    /// Show every revision (applied, pending, interrupted, changed), the heads, and
    /// whether the database is up to date.
    Status(status::Args),
    /// Record that an interrupted revision was repaired by hand.
    Resolve(resolve::Args),
    /// Record the current checksum of an applied revision whose file was changed on purpose.
    Accept(accept::Args),
    /// List the revision history, newest first.
    History(history::Args),
    /// Show the current head revisions.
    Heads(heads::Args),
    /// Show the branch points.
    Branches(branches::Args),
    /// Show one revision.
    Show(show::Args),
    /// Verify that every downgrade undoes its upgrade: upgrade, downgrade and upgrade
    /// again on a throwaway database, comparing catalog snapshots at every stage.
    Roundtrip(roundtrip::Args),
    /// Print the catalog snapshot (JSON) of the database.
    Snapshot(snapshot::Args),
    /// Compare two catalog snapshots (snapshot JSON files or database URLs); exit 1 if
    /// they differ.
    Diff(diff::Args),
    /// Compare the database with its recorded revisions replayed on a private server:
    /// what was changed by hand. Read-only; exit 1 on drift.
    Drift(drift::Args),
    /// Find the revision a database without version table is at (replaying the history
    /// on a private server); `--stamp` records it. Read-only unless `--stamp`.
    Baseline(baseline::Args),
    /// Write the Definition-of-Done runbook (Markdown + JSON): preflight, privileges,
    /// steps, states, roundtrip, constraints and the DoD checks, all from checks that ran.
    Runbook(runbook::Args),
    /// Convert a project from another tool (`mig import alembic`).
    #[command(subcommand)]
    Import(import::Source),
    /// Run the seed files (SQL data the application needs, and optional demo data) in
    /// dependency order, each in its own transaction, recorded in `mig_seed`.
    Seed(seed::Args),
    /// Mark the database as protected: `reset` and `restore` then need `--confirm NAME`.
    Protect(guard::ProtectArgs),
    /// Remove the protection marker (`--confirm` the database's name).
    Unprotect(guard::UnprotectArgs),
    /// Write a verified backup: manifest.json (rows and SHA-256 per table) and the data.
    Backup(backup::Args),
    /// Reset the database: rebuild it from the revisions, truncate its tables, or
    /// downgrade to base and upgrade again; then seed. Guarded and backed up first.
    Reset(reset::Args),
}

/// The whole binary: parse, set up logging, run the command, print a failure as
/// `FAILED: <message>` on stderr, exit with its code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.global.log_verbosity, cli.global.quiet);
    let code = match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{}", err.printed());
            err.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// Runs one command; `Ok(code)` is the exit code of a command that ran.
pub fn run(cli: Cli) -> Result<i32, Error> {
    let g = &cli.global;
    let verifier = matches!(cli.command, Command::Roundtrip(_) | Command::Drift(_));
    if g.format.is_ci() && !verifier {
        return Err(Error::Usage(format!(
            "`--format {}` is for the verifiers' findings: `mig roundtrip` and `mig drift`",
            g.format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        )));
    }
    match cli.command {
        Command::Init(args) => init::run(g, args),
        Command::Revision(args) => revision::run(g, args),
        Command::Merge(args) => merge::run(g, args),
        Command::Upgrade(args) => upgrade::run(g, args),
        Command::Downgrade(args) => downgrade::run(g, args),
        Command::Stamp(args) => stamp::run(g, args),
        Command::Current(args) => current::run(g, args),
        Command::EnsureVersion(args) => ensure_version::run(g, args),
        Command::Check => check::run(g),
        Command::Status(args) => status::run(g, args),
        Command::Resolve(args) => resolve::run(g, args),
        Command::Accept(args) => accept::run(g, args),
        Command::History(args) => history::run(g, args),
        Command::Heads(args) => heads::run(g, args),
        Command::Branches(args) => branches::run(g, args),
        Command::Show(args) => show::run(g, args),
        Command::Roundtrip(args) => roundtrip::run(g, args),
        Command::Snapshot(args) => snapshot::run(g, args),
        Command::Diff(args) => diff::run(g, args),
        Command::Runbook(args) => runbook::run(g, args),
        Command::Import(source) => import::run(g, source),
        Command::Drift(args) => drift::run(g, args),
        Command::Baseline(args) => baseline::run(g, args),
        Command::Seed(args) => seed::run(g, args),
        Command::Protect(args) => guard::protect(g, args),
        Command::Unprotect(args) => guard::unprotect(g, args),
        Command::Backup(args) => backup::run(g, args),
        Command::Reset(args) => reset::run(g, args),
    }
}

/// The project the global flags name: its configuration and revision graph.
fn project(global: &GlobalArgs) -> Result<Project, Error> {
    Project::load(&load_options(global)?)
}

/// The config-loading options the global flags select, over the environment's.
fn load_options(global: &GlobalArgs) -> Result<LoadOptions, Error> {
    let mut opts = LoadOptions::from_process()?;
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

/// Writes data to stdout.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`mig history | head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes a report to the file `-o` names.
fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The `Generating <path> ...  done` line of `revision` and `merge`.
fn generated(path: &Path) {
    println!("Generating {} ...  done", path.display());
}

/// A verifier report: in the requested format on stdout, or written to `output` with the
/// text summary on stdout.
fn show_report(
    rendered: &crate::commands::roundtrip::Rendered,
    output: Option<&Path>,
) -> Result<(), Error> {
    match output {
        Some(path) => {
            write_file(path, &rendered.output)?;
            print(&rendered.summary);
        }
        None => print(&rendered.output),
    }
    Ok(())
}
