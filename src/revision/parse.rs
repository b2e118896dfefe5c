//! Revision file text -> [`Revision`]: the header comment block, the `-- migrate:upgrade`
//! and `-- migrate:downgrade` sections, and the checks that refuse a bad file at load time
//! with its path and line. Pure: no file system access, no graph knowledge (unknown
//! parents and cycles are the graph's to find).
//!
//! Decisions where the format leaves room:
//! - The header is every line before `-- migrate:upgrade`; each must be blank or a `--`
//!   comment (SQL there would never run, so it is an error). Known keys (`Revision ID`,
//!   `Revises`, `Create Date`, `Branch Labels`, `Depends On`, `Transaction`,
//!   `Downgrade Keeps`) are matched case-insensitively; any other `-- Foo: bar` line is an
//!   ordinary comment and ignored. A key given twice is an error.
//! - The message is the first non-empty header comment, unless that line is a key line
//!   (then the message is empty).
//! - Ids must not contain `,` or whitespace either (they separate ids in `Revises:`).
//! - `Transaction:` accepts `none`, `default` or nothing (case-insensitive).
//! - `Downgrade Keeps:` items are `<kind> <name>`, split at commas outside parentheses
//!   and double quotes (`function f(a int, b text)`); the kind is one lower-cased word or
//!   `materialized view`, `event trigger`, `foreign table`; kinds are not checked against
//!   a list here (the verifier knows which it can see).
//! - Both markers are required: a revision that cannot be undone says
//!   `-- migrate:downgrade irreversible` (any words after `irreversible` are a free-form
//!   reason), and that section may hold comments but no SQL.
//! - Markers are found line by line before any SQL is lexed, so a `-- migrate:` line is a
//!   marker even inside a dollar-quoted body.
//! - Bodies are checked with the splitter at load time, when the dialect may not be known
//!   yet: a body is refused only if it lexes under no dialect (the PostgreSQL error is
//!   reported). [`check_sql`] repeats the check for one known dialect.

mod header;
mod layout;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::dialect::Dialect;
use crate::revision::{Downgrade, Revision, Section};
use crate::sql;

use layout::{lines, marker, section, LineKind, Marker};

/// A revision file that cannot be loaded, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {kind}", path.display())]
pub struct ParseError {
    pub path: PathBuf,
    /// 1-based line; 1 for problems of the whole file (a missing header or marker).
    pub line: usize,
    pub kind: ParseErrorKind,
}

/// What is wrong with a revision file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("missing `Revision ID:` header")]
    MissingRevisionId,
    #[error("`Revision ID:` is empty")]
    EmptyRevisionId,
    /// Alembic's text, word for word.
    #[error("Character(s) '{chars}' not allowed in revision identifier '{id}'")]
    IllegalIdCharacters { id: String, chars: String },
    #[error("revision identifier '{id}' must not contain commas or whitespace")]
    IdSeparator { id: String },
    #[error(
        "revision identifier '{id}' is {length} characters long and does not fit the \
         version table's VARCHAR(32) column"
    )]
    IdTooLong { id: String, length: usize },
    #[error("header `{key}:` is given twice (first at line {first_line})")]
    DuplicateHeader { key: String, first_line: usize },
    #[error("`Transaction: {value}` is not a transaction mode; expected `none` or `default`")]
    BadTransaction { value: String },
    #[error("`{key}:` item `{item}` contains whitespace; separate items with commas")]
    ItemWithWhitespace { key: String, item: String },
    #[error(
        "`Downgrade Keeps:` item `{item}` is not `<kind> <name>` \
         (e.g. `schema zero_admin`, `extension pgcrypto`)"
    )]
    BadKeep { item: String },
    #[error("missing `-- migrate:upgrade` section marker")]
    MissingUpgrade,
    #[error(
        "missing `-- migrate:downgrade` section marker (write \
         `-- migrate:downgrade irreversible` if the revision cannot be undone)"
    )]
    MissingDowngrade,
    #[error("`-- migrate:{section}` is given twice (first at line {first_line})")]
    DuplicateMarker {
        section: &'static str,
        first_line: usize,
    },
    #[error("`-- migrate:downgrade` comes before `-- migrate:upgrade` (line {upgrade_line})")]
    DowngradeBeforeUpgrade { upgrade_line: usize },
    #[error(
        "unknown section marker `{marker}`; expected `-- migrate:upgrade` or \
         `-- migrate:downgrade`"
    )]
    UnknownMarker { marker: String },
    #[error("unexpected `{text}` after `-- migrate:{section}`")]
    TextAfterMarker { section: &'static str, text: String },
    #[error(
        "SQL before `-- migrate:upgrade` would never run; the header holds only `--` comments"
    )]
    SqlInHeader,
    #[error("the downgrade is marked irreversible but its section holds SQL")]
    SqlInIrreversible,
    #[error("{message} at column {column} in the {section} section")]
    Sql {
        section: &'static str,
        message: String,
        column: usize,
    },
}

/// A problem at a line of the file being parsed (the path is added at the boundary).
struct Located {
    line: usize,
    kind: ParseErrorKind,
}

type Parsed<T> = Result<T, Located>;

fn at(line: usize, kind: ParseErrorKind) -> Located {
    Located { line, kind }
}

/// Parses the text of the revision file at `path` (used for `Revision::path` and errors).
pub fn parse_revision(path: &Path, text: &str) -> Result<Revision, ParseError> {
    parse(path, text).map_err(|err| ParseError {
        path: path.to_path_buf(),
        line: err.line,
        kind: err.kind,
    })
}

/// Checks an id by the rules of `Revision ID:`: Alembic's (no `@ - + :`, its error text),
/// the file format's (no `,` or whitespace) and the version table's (at most 32
/// characters).
pub fn check_revision_id(id: &str) -> Result<(), ParseErrorKind> {
    header::check_id(id)
}

/// A file made of a `--` comment header and a SQL body (seed files), lexed with the
/// revision header's lexer and the caller's key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commented<K> {
    /// The first header comment that is not a key line (empty when there is none).
    pub message: String,
    /// `(key, line, value)` in file order; each key at most once.
    pub values: Vec<(K, usize, String)>,
    /// Everything from the first line that is neither blank nor a `--` comment,
    /// verbatim, with its first line number.
    pub body: Section,
}

/// Splits `text` into its leading comment header (read by `keys`, case-insensitive,
/// as in revision files) and the SQL body after it. Errors carry the 1-based line.
pub fn parse_commented<K: Copy + Eq>(
    text: &str,
    keys: &[(K, &'static str)],
) -> Result<Commented<K>, (usize, ParseErrorKind)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = lines(text);
    let end = lines
        .iter()
        .position(|line| !line.is_blank() && !layout::trim(line.text).starts_with("--"))
        .unwrap_or(lines.len());
    let (head, body) = lines.split_at(end);
    let lexed = header::lex(head, keys).map_err(|err| (err.line, err.kind))?;
    let values = keys
        .iter()
        .filter_map(|&(key, _)| {
            let (line, value) = lexed.get(key)?;
            Some((key, line, value.to_string()))
        })
        .collect::<Vec<_>>();
    let mut values = values;
    values.sort_by_key(|(_, line, _)| *line);
    Ok(Commented {
        message: lexed.message.unwrap_or_default(),
        values,
        body: section(text, body, end),
    })
}

/// A header list value (`a, b`; `None` or empty for no items) as in `Revises:`;
/// `key` names the header in the error.
pub fn parse_header_list(key: &str, value: &str) -> Result<Vec<String>, ParseErrorKind> {
    header::split_list(key, value)
}

/// A `Transaction:` value as in revision files (`none`, `default` or empty).
pub fn parse_transaction(value: &str) -> Result<crate::revision::TransactionMode, ParseErrorKind> {
    header::transaction(value)
}

/// Checks the revision's bodies under one known dialect (every quote, dollar quote and
/// block comment closed), located in its file.
pub fn check_sql(revision: &Revision, dialect: Dialect) -> Result<(), ParseError> {
    let mut sections = vec![("upgrade", &revision.upgrade)];
    if let Downgrade::Sql(section) = &revision.downgrade {
        sections.push(("downgrade", section));
    }
    for (name, section) in sections {
        sql::validate(&section.sql, dialect).map_err(|err| ParseError {
            path: revision.path.clone(),
            line: section.line + err.line - 1,
            kind: ParseErrorKind::Sql {
                section: name,
                message: err.message,
                column: err.column,
            },
        })?;
    }
    Ok(())
}

/// Hex SHA-256 of the section's normalised text: CRLF read as LF, trailing whitespace of
/// every line dropped, leading and trailing blank lines dropped, lines joined with LF.
/// Stable across versions: it is stored in the history table.
pub fn checksum(section: &Section) -> String {
    let lines: Vec<&str> = section.sql.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.is_empty());
    let last = lines.iter().rposition(|line| !line.is_empty());
    let kept = match (first, last) {
        (Some(first), Some(last)) => lines.get(first..=last).unwrap_or_default(),
        _ => &[],
    };
    let digest = Sha256::digest(kept.join("\n").as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn parse(path: &Path, text: &str) -> Parsed<Revision> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = lines(text);
    let mut upgrade: Option<Marker> = None;
    let mut downgrade: Option<Marker> = None;
    for (index, line) in lines.iter().enumerate() {
        let Some(found) = marker(index, line)? else {
            continue;
        };
        let (slot, section) = match found.kind {
            LineKind::Upgrade => (&mut upgrade, "upgrade"),
            LineKind::Downgrade => (&mut downgrade, "downgrade"),
        };
        if let Some(first) = slot {
            let first_line = first.line;
            return Err(at(
                found.line,
                ParseErrorKind::DuplicateMarker {
                    section,
                    first_line,
                },
            ));
        }
        *slot = Some(found);
    }
    let Some(upgrade) = upgrade else {
        return Err(at(1, ParseErrorKind::MissingUpgrade));
    };
    let Some(downgrade) = downgrade else {
        return Err(at(1, ParseErrorKind::MissingDowngrade));
    };
    if downgrade.index < upgrade.index {
        let upgrade_line = upgrade.line;
        return Err(at(
            downgrade.line,
            ParseErrorKind::DowngradeBeforeUpgrade { upgrade_line },
        ));
    }
    if !upgrade.rest.is_empty() {
        let kind = ParseErrorKind::TextAfterMarker {
            section: "upgrade",
            text: upgrade.rest.to_string(),
        };
        return Err(at(upgrade.line, kind));
    }

    let header_lines = lines.get(..upgrade.index).unwrap_or_default();
    let header = header::parse(header_lines)?;

    let upgrade_lines = lines.get(upgrade.index + 1..downgrade.index);
    let upgrade_section = section(text, upgrade_lines.unwrap_or_default(), upgrade.line);
    check_lexes(&upgrade_section, "upgrade")?;

    let downgrade_lines = lines.get(downgrade.index + 1..).unwrap_or_default();
    let downgrade_section = section(text, downgrade_lines, downgrade.line);
    check_lexes(&downgrade_section, "downgrade")?;
    let first_word = downgrade.rest.split_whitespace().next().unwrap_or_default();
    let downgrade = if first_word.eq_ignore_ascii_case("irreversible") {
        let statements = sql::split_statements(&downgrade_section.sql, Dialect::Postgresql);
        if let Some(first) = statements.ok().and_then(|s| s.into_iter().next()) {
            let line = downgrade_section.line + first.line - 1;
            return Err(at(line, ParseErrorKind::SqlInIrreversible));
        }
        Downgrade::Irreversible {
            line: downgrade.line,
        }
    } else if downgrade.rest.is_empty() {
        Downgrade::Sql(downgrade_section)
    } else {
        let kind = ParseErrorKind::TextAfterMarker {
            section: "downgrade",
            text: downgrade.rest.to_string(),
        };
        return Err(at(downgrade.line, kind));
    };

    Ok(Revision {
        id: header.id,
        down_revisions: header.down_revisions,
        branch_labels: header.branch_labels,
        depends_on: header.depends_on,
        message: header.message,
        create_date: header.create_date,
        transaction: header.transaction,
        downgrade_keeps: header.downgrade_keeps,
        upgrade: upgrade_section,
        downgrade,
        path: path.to_path_buf(),
        lines: header.lines,
    })
}

/// Refuses a body that lexes under no dialect, with the PostgreSQL error.
fn check_lexes(section: &Section, name: &'static str) -> Parsed<()> {
    let Err(err) = sql::validate(&section.sql, Dialect::Postgresql) else {
        return Ok(());
    };
    let lexes_elsewhere = [Dialect::Sqlite, Dialect::Mysql]
        .into_iter()
        .any(|dialect| sql::validate(&section.sql, dialect).is_ok());
    if lexes_elsewhere {
        return Ok(());
    }
    let kind = ParseErrorKind::Sql {
        section: name,
        message: err.message,
        column: err.column,
    };
    Err(at(section.line + err.line - 1, kind))
}
