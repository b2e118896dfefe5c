//! A `search_path` (PostgreSQL), read once into the names it lists and rendered by one
//! function, [`SearchPath::list`]: online that text is the bound parameter of
//! `set_config('search_path', $1, ...)` ([`crate::db::set_search_path`]), offline it
//! follows `SET search_path TO` ([`SearchPath::set_sql`]). Pure; names are read and
//! quoted by [`super::quote`], the one quoting path.

use std::fmt;

use super::quote::{parse_search_path, search_path_names_lenient};
use super::{Dialect, NameError};

/// The names of a `search_path`, in order, as PostgreSQL resolves them (plain names
/// folded to lower case, double-quoted ones kept as written), and the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    written: String,
    names: Vec<String>,
}

impl SearchPath {
    /// Reads a configured value, refusing an element that is not a name (the config
    /// loader's check: nothing but names reaches SQL).
    pub fn parse(text: &str) -> Result<SearchPath, NameError> {
        Ok(SearchPath {
            written: text.to_string(),
            names: parse_search_path(text)?,
        })
    }

    /// Reads a value that skipped the config loader's check (settings built in code):
    /// an element that is not a name is taken literally as one name, so it is quoted as
    /// a whole and cannot change a statement; empty elements are dropped.
    pub fn lenient(text: &str) -> SearchPath {
        SearchPath {
            written: text.to_string(),
            names: search_path_names_lenient(text),
        }
    }

    /// The names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// PostgreSQL's list text, each name quoted as needed (`app, "My Schema", "$user"`),
    /// or `None` when it names nothing.
    pub fn list(&self) -> Option<String> {
        if self.names.is_empty() {
            return None;
        }
        let quoted: Vec<String> = self
            .names
            .iter()
            .map(|name| Dialect::Postgresql.quote_identifier(name).into_owned())
            .collect();
        Some(quoted.join(", "))
    }

    /// `SET search_path TO <list>`, the statement `--sql` shows (without `;`), or `None`
    /// when it names nothing.
    pub fn set_sql(&self) -> Option<String> {
        self.list().map(|list| format!("SET search_path TO {list}"))
    }
}

/// The value as written.
impl fmt::Display for SearchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// [`SearchPath::lenient`].
impl From<&str> for SearchPath {
    fn from(text: &str) -> SearchPath {
        SearchPath::lenient(text)
    }
}

#[cfg(test)]
mod tests;
