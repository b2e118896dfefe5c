//! What a DoD query's result must be (`expect` in a DoD file) and the pure judgement of
//! the rows a query returned against it.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

static ROWS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^rows\s*=\s*(\d+)$").unwrap_or_else(|_| unreachable!()));

/// What a query's result must be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// The first column of the first row, as text, equals this.
    Text(String),
    /// The first column of the first row is true (`true`, `t`, `1`).
    True,
    /// The first column of the first row is false (`false`, `f`, `0`).
    False,
    /// The first column of the first row is not NULL.
    NonNull,
    /// Exactly this many rows.
    Rows(usize),
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Text(text) => write!(f, "`{text}`"),
            Expect::True => f.write_str("true"),
            Expect::False => f.write_str("false"),
            Expect::NonNull => f.write_str("a value that is not NULL"),
            Expect::Rows(1) => f.write_str("exactly 1 row"),
            Expect::Rows(n) => write!(f, "exactly {n} rows"),
        }
    }
}

/// Rows of a query result, each column as text (`None`: NULL).
pub type Rows = [Vec<Option<String>>];

impl Expect {
    /// Reads an `expect` value: a literal, `true`/`false`, `"non-null"`, `"rows = N"`.
    pub fn parse(value: toml::Value) -> Result<Expect, String> {
        Ok(match value {
            toml::Value::Boolean(true) => Expect::True,
            toml::Value::Boolean(false) => Expect::False,
            toml::Value::Integer(n) => Expect::Text(n.to_string()),
            toml::Value::Float(x) => Expect::Text(x.to_string()),
            toml::Value::String(text) => {
                let trimmed = text.trim();
                if trimmed.eq_ignore_ascii_case("non-null") {
                    Expect::NonNull
                } else if let Some(caps) = ROWS.captures(&trimmed.to_ascii_lowercase()) {
                    let n = caps
                        .get(1)
                        .and_then(|m| m.as_str().parse().ok())
                        .ok_or_else(|| format!("`{trimmed}`: the row count is too large"))?;
                    Expect::Rows(n)
                } else {
                    Expect::Text(text)
                }
            }
            other => {
                return Err(format!(
                    "`expect` must be a string, a number or a boolean, not {}",
                    other.type_str()
                ))
            }
        })
    }

    /// Judges `rows` against the expectation: whether it held, and what was seen.
    pub fn judge(&self, rows: &Rows) -> (bool, String) {
        let first = rows.first().and_then(|row| row.first());
        let seen = match first {
            _ if rows.is_empty() => "no rows".to_string(),
            Some(Some(value)) => format!("`{value}`"),
            Some(None) => "NULL".to_string(),
            None => "a row without columns".to_string(),
        };
        let value = first.and_then(|v| v.as_deref());
        match self {
            Expect::Text(text) => (value == Some(text.as_str()), format!("got {seen}")),
            Expect::True => (
                value
                    .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "t" | "1")),
                format!("got {seen}"),
            ),
            Expect::False => (
                value.is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "false" | "f" | "0")
                }),
                format!("got {seen}"),
            ),
            Expect::NonNull => (value.is_some(), format!("got {seen}")),
            Expect::Rows(n) => {
                let count = rows.len();
                let noun = if count == 1 { "row" } else { "rows" };
                (count == *n, format!("got {count} {noun}"))
            }
        }
    }
}
