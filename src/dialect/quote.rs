//! Identifier quoting and string literals, as SQLAlchemy renders them for each dialect:
//! a name is quoted only when it needs to be (a reserved word, upper-case letters, a
//! leading digit or `$`, or a character outside `[A-Za-z0-9_$]`). Pure text.
//!
//! This is the one path by which names from configuration, the environment or flags
//! (`version_table`, `version_table_schema`, `history_table`, `search_path`) reach SQL:
//! [`check_name`] and [`parse_search_path`] refuse what cannot be a name (the config
//! loader calls them, so bad values fail at load), and every rendering quotes through
//! [`Dialect::quote_identifier`], so no configured text can end a statement.

use std::borrow::Cow;

use super::{reserved, Dialect};

impl Dialect {
    /// The character that opens and closes a quoted identifier.
    fn quote_char(self) -> char {
        match self {
            Dialect::Postgresql | Dialect::Sqlite => '"',
            Dialect::Mysql => '`',
        }
    }

    fn reserved_words(self) -> &'static [&'static str] {
        match self {
            Dialect::Postgresql => reserved::POSTGRESQL,
            Dialect::Sqlite => reserved::SQLITE,
            Dialect::Mysql => reserved::MYSQL,
        }
    }

    /// Whether `name` must be quoted to mean exactly `name` (SQLAlchemy's
    /// `IdentifierPreparer._requires_quotes`).
    pub fn requires_quotes(self, name: &str) -> bool {
        let Some(first) = name.chars().next() else {
            return true;
        };
        let lower = name.to_lowercase();
        self.reserved_words().binary_search(&lower.as_str()).is_ok()
            || first.is_ascii_digit()
            || first == '$'
            || !name.chars().all(is_legal)
            || lower != name
    }

    /// `name`, quoted if it needs to be, with the quote character doubled inside.
    pub fn quote_identifier(self, name: &str) -> Cow<'_, str> {
        if !self.requires_quotes(name) {
            return Cow::Borrowed(name);
        }
        let quote = self.quote_char();
        let mut out = String::with_capacity(name.len() + 2);
        out.push(quote);
        for c in name.chars() {
            if c == quote {
                out.push(quote);
            }
            out.push(c);
        }
        out.push(quote);
        Cow::Owned(out)
    }

    /// `schema.name` (each part quoted as needed), or just `name` without a schema.
    pub fn qualified_name(self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(schema) => format!(
                "{}.{}",
                self.quote_identifier(schema),
                self.quote_identifier(name)
            ),
            None => self.quote_identifier(name).into_owned(),
        }
    }

    /// A SQL string literal holding exactly `value`: `'` doubled on every dialect, and
    /// `\` doubled on MySQL, whose default `sql_mode` reads backslash escapes (as
    /// SQLAlchemy's literal rendering does).
    ///
    /// Alembic itself interpolates revision ids into its version-table statements
    /// unescaped, which renders invalid SQL for an id holding a quote; for every other
    /// id the output is the same.
    pub fn string_literal(self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        self.push_string_literal(&mut out, value);
        out
    }

    /// [`string_literal`](Self::string_literal), appended to `out`.
    pub fn push_string_literal(self, out: &mut String, value: &str) {
        out.push('\'');
        for c in value.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if self == Dialect::Mysql => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
    }
}

/// Why configured text cannot be used as a name in SQL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("a name cannot be empty")]
    Empty,
    #[error("a name cannot contain a NUL character")]
    Nul,
    #[error("element {position} is empty (two commas in a row, or a comma at an end)")]
    EmptyElement { position: usize },
    #[error(
        "element {position} (`{element}`) has text after its closing double quote; a double \
         quote inside a quoted name is written twice (`\"\"`)"
    )]
    AfterQuote { position: usize, element: String },
    #[error("element {position} (`{element}`) has no closing double quote")]
    Unclosed { position: usize, element: String },
    #[error("element {position} (`{element}`) is an empty quoted name")]
    EmptyQuoted { position: usize, element: String },
    #[error(
        "element {position} (`{element}`) is not a plain name (letters, digits, `_`, `$`): \
         write it in double quotes, with a double quote inside written twice"
    )]
    NotPlain { position: usize, element: String },
}

/// Checks a name taken literally (`version_table`, `version_table_schema`,
/// `history_table`): it is quoted as needed when rendered, so only what no quoting can
/// carry is refused.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name.contains('\0') {
        Err(NameError::Nul)
    } else {
        Ok(())
    }
}

/// Reads a `search_path` value as PostgreSQL reads a list of names: comma-separated,
/// each either a plain name (letters, digits, `_`, `$`; folded to lower case) or a name
/// in double quotes (kept as written, `""` for a quote inside). Returns the names
/// (none for an empty value).
pub(super) fn parse_search_path(text: &str) -> Result<Vec<String>, NameError> {
    if text.contains('\0') {
        return Err(NameError::Nul);
    }
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    split_elements(text)
        .into_iter()
        .enumerate()
        .map(|(i, element)| decode_element(i + 1, element))
        .collect()
}

/// [`parse_search_path`] for rendering values that skipped the config loader's check:
/// an element that is not a name is taken literally as one name (so it is quoted as a
/// whole and cannot change the statement); empty elements are dropped.
pub(super) fn search_path_names_lenient(text: &str) -> Vec<String> {
    split_elements(text)
        .into_iter()
        .enumerate()
        .filter(|(_, element)| !element.is_empty())
        .map(|(i, element)| {
            decode_element(i + 1, element).unwrap_or_else(|_| element.replace('\0', ""))
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Splits on commas outside double quotes; trims each element.
fn split_elements(list: &str) -> Vec<&str> {
    let mut elements = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in list.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                elements.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    elements.push(list[start..].trim());
    elements
}

fn decode_element(position: usize, element: &str) -> Result<String, NameError> {
    let owned = || element.to_string();
    if element.is_empty() {
        return Err(NameError::EmptyElement { position });
    }
    let Some(quoted) = element.strip_prefix('"') else {
        if element
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            return Ok(element.to_ascii_lowercase());
        }
        return Err(NameError::NotPlain {
            position,
            element: owned(),
        });
    };
    let mut name = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            name.push(c);
            continue;
        }
        let rest = chars.as_str();
        if let Some(after) = rest.strip_prefix('"') {
            name.push('"');
            chars = after.chars();
            continue;
        }
        if !rest.is_empty() {
            return Err(NameError::AfterQuote {
                position,
                element: owned(),
            });
        }
        if name.is_empty() {
            return Err(NameError::EmptyQuoted {
                position,
                element: owned(),
            });
        }
        return Ok(name);
    }
    Err(NameError::Unclosed {
        position,
        element: owned(),
    })
}

/// SQLAlchemy matches legal characters with `^[A-Z0-9_$]+$` and Python's case-insensitive
/// Unicode matching, which also accepts the four non-ASCII letters whose case folding
/// lands in `[a-z]`.
fn is_legal(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | 'İ' | 'ı' | 'ſ' | 'K')
}

#[cfg(test)]
mod tests;
