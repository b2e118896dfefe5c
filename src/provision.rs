//! Provisioning throwaway databases: a private PostgreSQL server from local binaries, scratch
//! databases on an existing server, temp SQLite files. Everything made here is removed
//! again, also when the process dies (see [`watchdog`]). Never touches a database it did
//! not create.
//!
//! Running as root: PostgreSQL refuses to run as root, so `initdb` and `postgres` run as
//! the `postgres` account (created by every PostgreSQL package) or else `nobody`, with the
//! private temp directory handed to that account. No account is ever created.

pub mod binaries;
pub mod database;
pub mod ephemeral;
pub mod scratch;
pub mod sqlite;
pub mod user;
pub mod watchdog;

use std::path::PathBuf;
use std::time::Duration;

pub use binaries::PgBinaries;
pub use database::{create_database_at, drop_database_at};
pub use ephemeral::{EphemeralOptions, EphemeralPostgres, SUPERUSER};
pub use scratch::{unique_name, ScratchDatabase};
pub use sqlite::TempSqlite;

use crate::db::DbError;

/// Errors provisioning a database.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error(
        "no PostgreSQL server binaries (`initdb`, `postgres`) found in {searched}; \
         install the server (Debian/Ubuntu: `apt-get install postgresql`, Fedora: \
         `dnf install postgresql-server`, macOS: `brew install postgresql`) or put its `bin` \
         directory on PATH"
    )]
    BinariesMissing { searched: String },
    #[error(
        "mig runs as root, which PostgreSQL refuses, and neither a `postgres` nor a `nobody` \
         account exists to run the server as; create one (`useradd --system postgres`) or run \
         mig as an ordinary user"
    )]
    NoUnprivilegedUser,
    // The cause is in the message, so it is not also a `source` (a reporter walking the
    // chain would print it twice).
    #[error("cannot {action} `{}`: {error}", path.display())]
    Io {
        action: String,
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot run `{}`: {error}", program.display())]
    Spawn {
        program: PathBuf,
        error: std::io::Error,
    },
    #[error("`initdb` failed ({status}); its output ends with:\n{log}")]
    Initdb { status: String, log: String },
    #[error(
        "the private PostgreSQL server exited during startup ({status}); its log ends with:\n{log}"
    )]
    ServerExited { status: String, log: String },
    #[error("the private PostgreSQL server did not accept connections within {}s; its log ends with:\n{log}", waited.as_secs())]
    ServerTimeout { waited: Duration, log: String },
    #[error(transparent)]
    Database(DbError),
}
