//! The commands: library functions behind each `mig` subcommand. They take resolved
//! inputs and return what to print; they never parse arguments or write to stdout
//! themselves (the CLI does both).

pub mod create;
pub mod inspect;
pub mod offline;
pub mod verify;

use std::path::PathBuf;

use crate::config::{self, Config, ConfigError, LoadOptions};
use crate::revision::directory::{load_revisions, LoadError};
use crate::revision::graph::{CommandError, GraphError, RevisionMap};

/// Everything that can stop a command, with the exit code SPEC section 5 assigns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// Alembic's command-level messages (`Can't locate revision identified by 'x'`, ...).
    #[error(transparent)]
    Command(#[from] CommandError),
    /// Wrong use of the command line (Alembic's `Range revision not allowed`, ...).
    #[error("{0}")]
    Usage(String),
    /// A plan the executor refused before running anything.
    #[error("{0}")]
    Plan(String),
    #[error("cannot write `{}`: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

impl Error {
    /// 2 for usage, configuration and revision-file errors (SPEC section 5).
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// A loaded project: its configuration and its revision graph.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    pub map: RevisionMap,
}

impl Project {
    /// Reads the configuration and every revision file, and builds the graph.
    pub fn load(opts: &LoadOptions) -> Result<Project, Error> {
        let config = config::load(opts)?;
        Project::from_config(config)
    }

    pub fn from_config(config: Config) -> Result<Project, Error> {
        let revisions = load_revisions(
            &config.version_locations,
            config.recursive_version_locations,
        )?;
        let map = RevisionMap::new(revisions)?;
        Ok(Project { config, map })
    }
}
