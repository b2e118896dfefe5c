//! One seed file: its `--` header (read by the revision header's lexer with the seed
//! keys `Seed`, `Kind`, `After`, `Requires`, `Transaction`) and its SQL body. Pure text;
//! no file system, no ordering.

use std::path::{Path, PathBuf};

use crate::revision::parse::{self, parse_commented};
use crate::revision::{Section, TransactionMode};

use super::SeedError;

/// Whether the application needs the seed to run (`required`) or it is demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedKind {
    Required,
    Optional,
}

impl SeedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SeedKind::Required => "required",
            SeedKind::Optional => "optional",
        }
    }
}

/// Which seeds a command runs after it changed the schema (`reset --seed`, `runbook
/// --seed`): the required ones (default), all, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedChoice {
    #[default]
    Required,
    All,
    None,
}

impl SeedChoice {
    /// Whether seeds of `kind` are chosen.
    pub fn selects(self, kind: SeedKind) -> bool {
        match self {
            SeedChoice::None => false,
            SeedChoice::Required => kind == SeedKind::Required,
            SeedChoice::All => true,
        }
    }

    /// `required`, `all` or `none`, as the flag spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SeedChoice::Required => "required",
            SeedChoice::All => "all",
            SeedChoice::None => "none",
        }
    }
}

/// A parsed seed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    pub name: String,
    pub kind: SeedKind,
    /// Seeds that must run first, with the header's line.
    pub after: Vec<String>,
    pub after_line: usize,
    /// A revision that must be applied first, with the header's line.
    pub requires: Option<(String, usize)>,
    pub transaction: TransactionMode,
    /// The first header comment (what the seed is for).
    pub message: String,
    /// The SQL, verbatim, with its first line in the file.
    pub body: Section,
    pub path: PathBuf,
}

impl Seed {
    /// Hex SHA-256 of the normalised body, as for revision sections.
    pub fn checksum(&self) -> String {
        parse::checksum(&self.body)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Seed,
    Kind,
    After,
    Requires,
    Transaction,
}

const KEYS: [(Key, &str); 5] = [
    (Key::Seed, "Seed"),
    (Key::Kind, "Kind"),
    (Key::After, "After"),
    (Key::Requires, "Requires"),
    (Key::Transaction, "Transaction"),
];

/// Parses the seed file at `path` (for the seed's path and errors) from `text`.
pub fn parse_seed(path: &Path, text: &str) -> Result<Seed, SeedError> {
    let located = |line: usize, message: String| SeedError::File {
        path: path.to_path_buf(),
        line,
        message,
    };
    let header =
        parse_commented(text, &KEYS).map_err(|(line, kind)| located(line, kind.to_string()))?;
    let get = |key: Key| {
        header
            .values
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, line, value)| (*line, value.as_str()))
    };
    let Some((name_line, name)) = get(Key::Seed) else {
        return Err(located(1, "missing `-- Seed: <name>` header".into()));
    };
    if name.is_empty() || name.contains(|c: char| c == ',' || c.is_whitespace()) {
        return Err(located(
            name_line,
            format!("seed name `{name}` must be one word without commas"),
        ));
    }
    let kind = match get(Key::Kind) {
        None => SeedKind::Required,
        Some((line, value)) => match value.to_ascii_lowercase().as_str() {
            "" | "required" => SeedKind::Required,
            "optional" => SeedKind::Optional,
            _ => {
                return Err(located(
                    line,
                    format!(
                        "`Kind: {value}` is not a seed kind; expected `required` or `optional`"
                    ),
                ))
            }
        },
    };
    let (after, after_line) = match get(Key::After) {
        Some((line, value)) => (
            parse::parse_header_list("After", value).map_err(|k| located(line, k.to_string()))?,
            line,
        ),
        None => (Vec::new(), name_line),
    };
    let requires = match get(Key::Requires) {
        Some((line, value)) => {
            let items = parse::parse_header_list("Requires", value)
                .map_err(|k| located(line, k.to_string()))?;
            match items.as_slice() {
                [] => None,
                [one] => Some((one.clone(), line)),
                _ => {
                    return Err(located(
                        line,
                        "`Requires:` names one revision (the latest the seed needs)".into(),
                    ))
                }
            }
        }
        None => None,
    };
    let transaction = match get(Key::Transaction) {
        Some((line, value)) => {
            parse::parse_transaction(value).map_err(|k| located(line, k.to_string()))?
        }
        None => TransactionMode::Default,
    };
    Ok(Seed {
        name: name.to_string(),
        kind,
        after,
        after_line,
        requires,
        transaction,
        message: header.message,
        body: header.body,
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests;
