//! mig's own session statements, which Alembic leaves to env.py: creating the
//! `version_table_schema` and setting `search_path`. Pure text, without `;`.
//!
//! Which dialects get them:
//! - `CREATE SCHEMA IF NOT EXISTS <schema>`: PostgreSQL, and MySQL (where a schema is a
//!   database and the statement is a synonym of `CREATE DATABASE IF NOT EXISTS`). SQLite
//!   has no `CREATE SCHEMA`: a schema there is an attached database file, which the
//!   connection must attach itself; nothing is rendered.
//! - `SET search_path TO ...`: PostgreSQL only; the setting means nothing elsewhere.

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

    /// `SET search_path TO a, b` for a configured `search_path` (`a, b` as written), or
    /// `None` on other dialects or when the value names nothing.
    ///
    /// Each comma-separated name is quoted as needed (so `$user` becomes `"$user"`);
    /// a name already written in double quotes is kept as written.
    pub fn search_path_sql(self, search_path: &str) -> Option<String> {
        if self != Dialect::Postgresql {
            return None;
        }
        let names: Vec<String> = split_names(search_path)
            .into_iter()
            .map(|name| {
                if name.starts_with('"') {
                    name.to_string()
                } else {
                    self.quote_identifier(name).into_owned()
                }
            })
            .collect();
        if names.is_empty() {
            return None;
        }
        Some(format!("SET search_path TO {}", names.join(", ")))
    }
}

/// Splits on commas outside double quotes; trims; drops empty items.
fn split_names(list: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in list.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                names.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    names.push(list[start..].trim());
    names.retain(|name| !name.is_empty());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_schema_per_dialect() {
        assert_eq!(
            Dialect::Postgresql
                .create_schema_sql("zero_admin")
                .as_deref(),
            Some("CREATE SCHEMA IF NOT EXISTS zero_admin")
        );
        assert_eq!(
            Dialect::Mysql.create_schema_sql("order").as_deref(),
            Some("CREATE SCHEMA IF NOT EXISTS `order`")
        );
        assert_eq!(Dialect::Sqlite.create_schema_sql("aux"), None);
    }

    #[test]
    fn search_path_quotes_each_name_as_needed() {
        assert_eq!(
            Dialect::Postgresql
                .search_path_sql("zero_admin, public")
                .as_deref(),
            Some("SET search_path TO zero_admin, public")
        );
        assert_eq!(
            Dialect::Postgresql
                .search_path_sql("$user,Admin ,\"My, Schema\"")
                .as_deref(),
            Some("SET search_path TO \"$user\", \"Admin\", \"My, Schema\"")
        );
    }

    #[test]
    fn search_path_is_postgresql_only_and_needs_a_name() {
        assert_eq!(Dialect::Sqlite.search_path_sql("main"), None);
        assert_eq!(Dialect::Mysql.search_path_sql("db"), None);
        assert_eq!(Dialect::Postgresql.search_path_sql(" , "), None);
    }
}
