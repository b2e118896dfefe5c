//! Catalog snapshots: the model ([`Snapshot`], [`Object`], [`Kind`]) and one introspector
//! per backend ([`snapshot_postgres`], [`snapshot_sqlite`]), each a constant number of
//! queries kept in `sql/` beside the code. Introspection only reads; comparing
//! snapshots is [`crate::diff`]'s job, naming rules are [`crate::naming`]'s.

mod model;
mod options;
mod postgres;
mod sqlite;

pub use model::{Kind, Object, Snapshot, Value};
pub use options::{IgnorePattern, SnapshotOptions, TableRef};
pub use postgres::{
    fingerprint_postgres, snapshot_postgres, snapshot_postgres_prepared, Fingerprint,
    POSTGRES_STATEMENTS,
};
pub use sqlite::{snapshot_sqlite, SQLITE_STATEMENTS};

/// Why a snapshot could not be taken or read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(
        "catalog query `{query}` failed: {}",
        crate::db::diagnose::sqlx_message(error)
    )]
    Query {
        query: &'static str,
        error: sqlx::Error,
    },
    #[error("catalog query `{query}` returned an unreadable row: {detail}")]
    Row { query: &'static str, detail: String },
    #[error("invalid `ignore` pattern `{pattern}`: {reason}")]
    IgnorePattern { pattern: String, reason: String },
    #[error("unreadable snapshot JSON: {error}")]
    Json { error: serde_json::Error },
    /// A configuration key the snapshot reads (`ignore`) is invalid.
    #[error(transparent)]
    Config(Box<crate::config::ConfigError>),
}

impl From<crate::config::ConfigError> for CatalogError {
    fn from(err: crate::config::ConfigError) -> Self {
        CatalogError::Config(Box::new(err))
    }
}
