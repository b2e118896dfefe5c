//! `mig init`: writes a new project.

use std::path::PathBuf;

use crate::commands::{create, Error};

use super::GlobalArgs;

/// `mig init` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to create the project in.
    #[arg(default_value = ".")]
    pub directory: PathBuf,
}

/// Runs `mig init`.
pub fn run(_global: &GlobalArgs, args: Args) -> Result<i32, Error> {
    for path in create::init(&args.directory)? {
        println!("Creating {} ...  done", path.display());
    }
    Ok(0)
}
