//! SQL dialects: quoting, version-table statements and transactional-DDL facts per backend.
//! Pure text; no connections.

mod quote;
mod reserved;
mod search_path;
mod session;

pub use quote::{check_name, NameError};
pub use search_path::SearchPath;

use serde::Serialize;

/// A database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Sqlite,
    Mysql,
}

impl Dialect {
    /// The name used in `[mig] dialect` and in output.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Sqlite => "sqlite",
            Dialect::Mysql => "mysql",
        }
    }

    /// Parses a `[mig] dialect` value (`postgres` and `mariadb` accepted as aliases).
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name.trim().to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => Some(Dialect::Postgresql),
            "sqlite" => Some(Dialect::Sqlite),
            "mysql" | "mariadb" => Some(Dialect::Mysql),
            _ => None,
        }
    }

    /// Whether DDL runs inside transactions (Alembic's `transactional_ddl`).
    pub fn transactional_ddl(self) -> bool {
        matches!(self, Dialect::Postgresql)
    }
}
