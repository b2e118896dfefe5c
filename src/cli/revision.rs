//! `mig revision`: writes a new revision file.

use std::path::PathBuf;

use crate::commands::create::{self, RevisionRequest};
use crate::commands::Error;

use super::GlobalArgs;

/// `mig revision` flags.
#[derive(Debug, clap::Args)]
pub struct Args {
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

/// Runs `mig revision`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let req = RevisionRequest {
        message: args.message,
        rev_id: args.rev_id,
        head: args.head,
        splice: args.splice,
        branch_label: args.branch_label,
        depends_on: args.depends_on,
        version_path: args.version_path,
    };
    super::generated(&create::revision(&project, &req)?);
    Ok(0)
}
