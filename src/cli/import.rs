//! `mig import alembic`: its flags and the call into [`crate::import`]; the report on
//! stdout, exit 1 when a check found the result different from Alembic.

use std::path::PathBuf;

use clap::Subcommand;

use crate::commands::Error;
use crate::import::{import_alembic, ImportRequest};

use super::signal::runtime;
use super::{Format, GlobalArgs};

/// What to import from.
#[derive(Debug, Subcommand)]
pub enum Source {
    /// Convert an Alembic project (Python revisions) into a mig project (SQL revision
    /// files) through Alembic itself: same ids, parents, branch labels and depends_on,
    /// same version table. Needs the project's Python environment (with Alembic), for
    /// the import only.
    Alembic(AlembicArgs),
}

/// `mig import alembic` flags.
#[derive(Debug, clap::Args)]
pub struct AlembicArgs {
    /// The Alembic project: its directory (holding alembic.ini) or its ini file.
    #[arg(long, value_name = "DIR_OR_INI", default_value = ".")]
    pub from: PathBuf,
    /// Directory for the converted project (must not exist, or be empty).
    #[arg(long, value_name = "DIR", default_value = "mig")]
    pub out: PathBuf,
    /// Render for this dialect instead of the one env.py configures.
    #[arg(long, value_parser = ["postgresql", "sqlite", "mysql"])]
    pub dialect: Option<String>,
    /// The project's Python interpreter (the one Alembic is installed in).
    #[arg(long, value_name = "PATH", default_value = "python3")]
    pub python: PathBuf,
    /// Write revisions Alembic cannot render offline (they read the database) with a
    /// `-- TODO` body, listed in the report, instead of stopping.
    #[arg(long = "skip-failing")]
    pub skip_failing: bool,
}

/// Runs the import.
pub fn run(global: &GlobalArgs, source: Source) -> Result<i32, Error> {
    let Source::Alembic(args) = source;
    let req = ImportRequest {
        from: args.from,
        section: global.name.clone(),
        out: args.out,
        dialect: args.dialect,
        python: args.python,
        skip_failing: args.skip_failing,
        env: crate::config::process_env(),
    };
    let report = runtime()?.block_on(import_alembic(&req))?;
    super::print(&if global.format == Format::Json {
        report.to_json()
    } else {
        report.text()
    });
    Ok(report.exit_code())
}
