//! What stops the verifier before or around its checks (a failing check is a result in
//! the report, not an error), with the exit code SPEC section 5 gives it.

use crate::catalog::CatalogError;
use crate::config::ConfigError;
use crate::naming::NamingError;
use crate::provision::ProvisionError;
use crate::revision::graph::CommandError;

use super::driver::DriverError;

/// Why a roundtrip could not run to its report.
#[derive(Debug, thiserror::Error)]
pub enum RoundtripError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Wrong use: `--in-place` without `--yes`, `--from` with `--mode full`, a backend
    /// the verifier cannot read.
    #[error("{0}")]
    Usage(String),
    /// `--from`/`--to` name no revision, or the range cannot be planned.
    #[error(transparent)]
    Plan(#[from] CommandError),
    #[error(transparent)]
    Naming(#[from] NamingError),
    /// An `ignore` pattern that cannot be used.
    #[error(transparent)]
    Ignore(#[from] CatalogError),
    /// The throwaway database could not be made. The cause is in the message, so it is
    /// not also a `source` (which would print it twice).
    #[error("cannot provide a database for the roundtrip: {0}")]
    Provision(ProvisionError),
    /// The private server's start or its URL failed outside the provisioner (the
    /// message says which).
    #[error("{0}")]
    Workspace(String),
    /// Preparing the database (version table, moving to `--from`, the first snapshot)
    /// failed; `context` says which step when the error does not.
    #[error("{}{error}", context.as_deref().map(|c| format!("{c}: ")).unwrap_or_default())]
    Setup {
        context: Option<String>,
        error: DriverError,
    },
    /// Ctrl-C (or SIGTERM): the run was stopped and everything it made was removed.
    #[error("interrupted; {cleanup}")]
    Interrupted {
        /// What happened to the database (`the private server was stopped and removed`).
        cleanup: String,
        /// 130 for SIGINT, 143 for SIGTERM.
        code: i32,
    },
}

impl From<ProvisionError> for RoundtripError {
    fn from(err: ProvisionError) -> Self {
        RoundtripError::Provision(err)
    }
}

impl From<DriverError> for RoundtripError {
    fn from(error: DriverError) -> Self {
        RoundtripError::Setup {
            context: None,
            error,
        }
    }
}

impl RoundtripError {
    /// 2 for usage and configuration, 3 for database errors, 128 + signal when interrupted.
    pub fn exit_code(&self) -> i32 {
        match self {
            RoundtripError::Config(_)
            | RoundtripError::Usage(_)
            | RoundtripError::Plan(_)
            | RoundtripError::Naming(_)
            | RoundtripError::Ignore(_) => 2,
            RoundtripError::Provision(
                ProvisionError::BinariesMissing { .. } | ProvisionError::NoUnprivilegedUser,
            ) => 2,
            RoundtripError::Provision(_)
            | RoundtripError::Workspace(_)
            | RoundtripError::Setup { .. } => 3,
            RoundtripError::Interrupted { code, .. } => *code,
        }
    }
}

#[cfg(test)]
mod tests;
