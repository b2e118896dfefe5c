//! Command-line types (clap). Their doc comments are the `--help` text. Nothing here
//! does work: `main` hands the parsed values to [`crate::commands`].

pub mod backup;
pub mod baseline;
pub mod drift;
pub mod guard;
pub mod import;
pub mod logging;
pub mod online;
pub mod reset;
pub mod run;
pub mod runbook;
pub mod seed;
pub mod verify;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new mig project: alembic.ini, versions/, templates/, runbook/.
    Init {
        /// Directory to create the project in.
        #[arg(default_value = ".")]
        directory: PathBuf,
    },
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Create a merge revision joining two or more heads.
    Merge {
        /// Revisions to merge (ids, `heads`, labels).
        #[arg(required = true, allow_negative_numbers = true)]
        revisions: Vec<String>,
        /// Message of the merge revision.
        #[arg(short = 'm', long = "message")]
        message: Option<String>,
        /// Branch label for the merge revision.
        #[arg(long = "branch-label")]
        branch_label: Option<String>,
        /// Revision id to use instead of a generated one.
        #[arg(long = "rev-id")]
        rev_id: Option<String>,
    },
    /// Upgrade to a later revision.
    Upgrade {
        /// Target revision (`head`, `heads`, an id, `+N`, `label@head`...), or `from:to` with --sql.
        #[arg(allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it (offline mode).
        #[arg(long)]
        sql: bool,
        /// Refuse to run when an applied revision's file changed since it was applied.
        #[arg(long)]
        strict: bool,
        /// Continue an interrupted revision at its next statement (after checking that
        /// the database still matches what the interrupted run recorded).
        #[arg(long, conflicts_with = "sql")]
        resume: bool,
    },
    /// Revert to a previous revision.
    Downgrade {
        /// Target revision (`base`, an id, `-N`...), or `from:to` with --sql.
        #[arg(allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it (offline mode).
        #[arg(long)]
        sql: bool,
    },
    /// Set the version table to the given revisions without running any migration.
    Stamp {
        /// Revisions to stamp (ids, `heads`, `-1`, `label@head`...).
        #[arg(required = true, allow_negative_numbers = true)]
        revisions: Vec<String>,
        /// Print the SQL instead of running it (offline mode).
        #[arg(long)]
        sql: bool,
        /// Delete all version-table rows first.
        #[arg(long)]
        purge: bool,
    },
    /// Show the revisions the database is at.
    Current {
        /// Show the full header of each revision.
        #[arg(long)]
        verbose: bool,
        /// Fail (exit 1) unless the database is at all heads.
        #[arg(long = "check-heads")]
        check_heads: bool,
    },
    /// Create the version table (and its schema) if missing.
    EnsureVersion {
        /// Print the SQL instead of running it (offline mode).
        #[arg(long)]
        sql: bool,
    },
    /// Check the project against the database: at the heads, applied files unchanged,
    /// naming conventions hold. Exit 1 with a list otherwise.
    Check,
    /// Show every revision (applied, pending, interrupted, changed), the heads, and
    /// whether the database is up to date.
    Status(online::StatusArgs),
    /// Record that an interrupted revision was repaired by hand.
    Resolve(online::ResolveArgs),
    /// Record the current checksum of an applied revision whose file was changed on purpose.
    Accept {
        /// The revision.
        #[arg(allow_negative_numbers = true)]
        revision: String,
        /// Why the change is fine (kept in the history table).
        #[arg(long, required = true)]
        reason: String,
    },
    /// List the revision history, newest first.
    History {
        /// Range `[start]:[end]` (inclusive; `-1:`, `current:head`).
        #[arg(short = 'r', long = "rev-range", allow_hyphen_values = true)]
        rev_range: Option<String>,
        /// Show the full header of each revision.
        #[arg(long)]
        verbose: bool,
        /// Mark the current revisions (connects to the database).
        #[arg(short = 'i', long = "indicate-current")]
        indicate_current: bool,
    },
    /// Show the current head revisions.
    Heads {
        /// Show the full header of each revision.
        #[arg(long)]
        verbose: bool,
        /// Treat dependency versions as down revisions.
        #[arg(long = "resolve-dependencies")]
        resolve_dependencies: bool,
    },
    /// Show the branch points.
    Branches {
        /// Show the full header of each revision.
        #[arg(long)]
        verbose: bool,
    },
    /// Show one revision.
    Show {
        /// Revision id, prefix, label or symbol.
        #[arg(allow_negative_numbers = true)]
        revision: String,
    },
    /// Verify that every downgrade undoes its upgrade: upgrade, downgrade and upgrade
    /// again on a throwaway database, comparing catalog snapshots at every stage.
    Roundtrip(verify::RoundtripArgs),
    /// Print the catalog snapshot (JSON) of the database.
    Snapshot(verify::SnapshotArgs),
    /// Compare two catalog snapshots (snapshot JSON files or database URLs); exit 1 if
    /// they differ.
    Diff(verify::DiffArgs),
    /// Compare the database with its recorded revisions replayed on a private server:
    /// what was changed by hand. Read-only; exit 1 on drift.
    Drift(drift::DriftArgs),
    /// Find the revision a database without version table is at (replaying the history
    /// on a private server); `--stamp` records it. Read-only unless `--stamp`.
    Baseline(baseline::BaselineArgs),
    /// Write the Definition-of-Done runbook (Markdown + JSON): preflight, privileges,
    /// steps, states, roundtrip, constraints and the DoD checks, all from checks that ran.
    Runbook(runbook::RunbookArgs),
    /// Convert a project from another tool (`mig import alembic`).
    #[command(subcommand)]
    Import(import::ImportSource),
    /// Run the seed files (SQL data the application needs, and optional demo data) in
    /// dependency order, each in its own transaction, recorded in `mig_seed`.
    Seed(seed::SeedArgs),
    /// Mark the database as protected: `reset` and `restore` then need `--confirm NAME`.
    Protect(guard::ProtectArgs),
    /// Remove the protection marker (`--confirm` the database's name).
    Unprotect(guard::UnprotectArgs),
    /// Write a verified backup: manifest.json (rows and SHA-256 per table) and the data.
    Backup(backup::BackupArgs),
    /// Reset the database: rebuild it from the revisions, truncate its tables, or
    /// downgrade to base and upgrade again; then seed. Guarded and backed up first.
    Reset(reset::ResetArgs),
}

/// `mig revision` flags.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message (the first comment line and the slug of the file name).
    #[arg(short = 'm', long = "message")]
    pub message: Option<String>,
    /// Revision id to use instead of a generated one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
    /// Head revision to build on (default: the single head).
    #[arg(long = "head", allow_negative_numbers = true)]
    pub head: Option<String>,
    /// Allow a non-head revision as the --head.
    #[arg(long)]
    pub splice: bool,
    /// Branch label for the new revision.
    #[arg(long = "branch-label")]
    pub branch_label: Option<String>,
    /// Revisions the new revision depends on.
    #[arg(long = "depends-on")]
    pub depends_on: Vec<String>,
    /// Version location to write the file into.
    #[arg(long = "version-path")]
    pub version_path: Option<PathBuf>,
}
