//! `mig diff A B`: compares two catalog snapshots (files or database URLs); exit 1 when
//! they differ.

use crate::commands::{snapshot, Error};
use crate::diff::DiffOptions;

use super::signal::runtime;
use super::{Format, GlobalArgs};

/// `mig diff` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
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

/// Runs `mig diff`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    if global.format == Format::Junit {
        return Err(Error::Usage(
            "`--format junit` applies to `mig roundtrip`; `mig diff` prints text or json".into(),
        ));
    }
    let config = snapshot::config_or_defaults(&super::load_options(global)?)?;
    let opts = DiffOptions {
        column_order: args.column_order,
        owner: !args.no_owner,
    };
    let findings = runtime()?.block_on(snapshot::diff(&args.a, &args.b, &config, &opts))?;
    super::print(&if global.format == Format::Json {
        findings.to_json()
    } else {
        findings.report()
    });
    Ok(findings.exit_code())
}
