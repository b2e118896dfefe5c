//! `mig merge`: writes a merge revision.

use crate::commands::create::{self, RevisionRequest};
use crate::commands::Error;

use super::GlobalArgs;

/// `mig merge` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revisions to merge (ids, `heads`, labels).
    #[arg(required = true, allow_negative_numbers = true)]
    pub revisions: Vec<String>,
    /// Message of the merge revision.
    #[arg(short = 'm', long = "message")]
    pub message: Option<String>,
    /// Branch label for the merge revision.
    #[arg(long = "branch-label")]
    pub branch_label: Option<String>,
    /// Revision id to use instead of a generated one.
    #[arg(long = "rev-id")]
    pub rev_id: Option<String>,
}

/// Runs `mig merge`.
pub fn run(global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    let project = super::project(global)?;
    let req = RevisionRequest {
        message: args.message,
        rev_id: args.rev_id,
        branch_label: args.branch_label,
        ..RevisionRequest::default()
    };
    super::generated(&create::merge(&project, &args.revisions, &req)?);
    Ok(0)
}
