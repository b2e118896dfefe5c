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

use super::Dialect;

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

    /// `SET search_path TO a, b` for a configured `search_path`, or `None` on other
    /// dialects or when the value names nothing. The offline rendering; online, the same
    /// list is set with [`Dialect::search_path_list`] as a bound parameter.
    pub fn search_path_sql(self, search_path: &str) -> Option<String> {
        self.search_path_list(search_path)
            .map(|list| format!("SET search_path TO {list}"))
    }

    /// The configured `search_path` as PostgreSQL's list text: each name read by
    /// [`super::parse_search_path`] (plain names folded to lower case, double-quoted
    /// ones kept) and quoted as needed, so `$user` becomes `"$user"`. `None` on other
    /// dialects or when the value names nothing. A value that skipped the config check
    /// still renders safely: an element that is not a name becomes one quoted name.
    pub fn search_path_list(self, search_path: &str) -> Option<String> {
        if self != Dialect::Postgresql {
            return None;
        }
        let names: Vec<String> = super::quote::search_path_names_lenient(search_path)
            .iter()
            .map(|name| self.quote_identifier(name).into_owned())
            .collect();
        if names.is_empty() {
            return None;
        }
        Some(names.join(", "))
    }
}

#[cfg(test)]
mod tests;
