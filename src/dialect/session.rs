//! mig's own session statements, which Alembic leaves to env.py: creating the
//! `version_table_schema` and setting `search_path`. Pure text, without `;`.
//!
//! Which dialects get them:
//! - `CREATE SCHEMA IF NOT EXISTS <schema>`: PostgreSQL, and MySQL (where a schema is a
//!   database and the statement is a synonym of `CREATE DATABASE IF NOT EXISTS`). SQLite
//!   has no `CREATE SCHEMA`: a schema there is an attached database file, which the
//!   connection must attach itself; nothing is rendered.
//! - `SET search_path TO ...`: PostgreSQL only; the setting means nothing elsewhere.
//!
//! Names are read and quoted by [`super::quote`], the one quoting path.

use super::{Dialect, SearchPath};

impl Dialect {
    /// `CREATE SCHEMA IF NOT EXISTS <schema>`, or `None` where schemas cannot be created
    /// by a statement (SQLite).
    pub fn create_schema_sql(self, schema: &str) -> Option<String> {
        match self {
            Dialect::Postgresql | Dialect::Mysql => Some(format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                self.quote_identifier(schema)
            )),
            Dialect::Sqlite => None,
        }
    }

    /// `SET search_path TO a, b` for a configured `search_path` ([`SearchPath::set_sql`]),
    /// or `None` on other dialects or when the value names nothing. The offline
    /// rendering; online, the same list is a bound parameter
    /// ([`crate::db::set_search_path`]).
    pub fn search_path_sql(self, search_path: &SearchPath) -> Option<String> {
        match self {
            Dialect::Postgresql => search_path.set_sql(),
            Dialect::Sqlite | Dialect::Mysql => None,
        }
    }
}

#[cfg(test)]
mod tests;
