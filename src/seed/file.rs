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
mod tests {
    use super::*;

    const RBAC: &str = "-- roles, permissions and the default admin role\n--\n-- Seed: rbac\n\
        -- kind: Optional\n-- After: settings, company\n-- Requires: 251018_schema_v1_inbox\n\
        -- Transaction: none\n\nINSERT INTO roles (name) VALUES ('admin');\n";

    #[test]
    fn reads_every_key_with_the_revision_lexer() {
        let seed = parse_seed(Path::new("seeds/rbac.sql"), RBAC).unwrap();
        assert_eq!(seed.name, "rbac");
        assert_eq!(seed.kind, SeedKind::Optional);
        assert_eq!(seed.after, ["settings", "company"]);
        assert_eq!(seed.after_line, 5);
        assert_eq!(seed.requires, Some(("251018_schema_v1_inbox".into(), 6)));
        assert_eq!(seed.transaction, TransactionMode::None);
        assert_eq!(
            seed.message,
            "roles, permissions and the default admin role"
        );
        assert_eq!(seed.body.line, 9);
        assert_eq!(seed.body.sql, "INSERT INTO roles (name) VALUES ('admin');");
    }

    #[test]
    fn defaults_to_required_in_a_transaction() {
        let seed = parse_seed(Path::new("s.sql"), "-- Seed: s\nSELECT 1;").unwrap();
        assert_eq!(seed.kind, SeedKind::Required);
        assert_eq!(seed.transaction, TransactionMode::Default);
        assert!(seed.after.is_empty() && seed.requires.is_none());
        assert_eq!(seed.body.line, 2);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("-- just a comment\nSELECT 1;", "s.sql:1: missing `-- Seed: <name>` header"),
            (
                "-- Seed: a\n-- Seed: b\nSELECT 1;",
                "s.sql:2: header `Seed:` is given twice (first at line 1)",
            ),
            (
                "-- Seed: a\n-- Kind: sometimes\n",
                "s.sql:2: `Kind: sometimes` is not a seed kind; expected `required` or `optional`",
            ),
            (
                "-- Seed: a\n-- Transaction: maybe\n",
                "s.sql:2: `Transaction: maybe` is not a transaction mode; expected `none` or `default`",
            ),
            (
                "-- Seed: a\n-- After: b c\n",
                "s.sql:2: `After:` item `b c` contains whitespace; separate items with commas",
            ),
            ("-- Seed: two words\n", "s.sql:1: seed name `two words` must be one word without commas"),
        ];
        for (text, expected) in cases {
            let err = parse_seed(Path::new("s.sql"), text).unwrap_err();
            assert_eq!(err.to_string(), expected, "{text}");
        }
    }
}
