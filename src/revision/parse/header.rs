//! The header comment block of a revision file: message and `Key: value` lines, with the
//! id rules. Knows nothing of sections. The lexer ([`lex`]) takes the key table as an
//! argument, so seed files (their own keys) are read by the same code.

use super::layout::{split_once_byte, trim, Line};
use super::{at, ParseErrorKind, Parsed};
use crate::revision::{HeaderLines, Keep, TransactionMode};

/// The header fields, validated.
pub(super) struct Header {
    pub id: String,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub message: String,
    pub create_date: Option<String>,
    pub transaction: TransactionMode,
    pub downgrade_keeps: Vec<Keep>,
    pub lines: HeaderLines,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    RevisionId,
    Revises,
    CreateDate,
    BranchLabels,
    DependsOn,
    Transaction,
    DowngradeKeeps,
}

const KEYS: [(Key, &str); 7] = [
    (Key::RevisionId, "Revision ID"),
    (Key::Revises, "Revises"),
    (Key::CreateDate, "Create Date"),
    (Key::BranchLabels, "Branch Labels"),
    (Key::DependsOn, "Depends On"),
    (Key::Transaction, "Transaction"),
    (Key::DowngradeKeeps, "Downgrade Keeps"),
];

fn name(key: Key) -> &'static str {
    key_name(&KEYS, key)
}

/// The name of `key` in `keys`.
fn key_name<K: Copy + Eq>(keys: &[(K, &'static str)], key: K) -> &'static str {
    keys.iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, name)| name)
}

/// The key of a `Key: value` comment in `keys`, case-insensitive, any inner spacing.
fn find_key<K: Copy>(keys: &[(K, &'static str)], text: &str) -> Option<K> {
    let first = trim(text).as_bytes().first()?.to_ascii_uppercase();
    keys.iter()
        .filter(|(_, name)| name.as_bytes().first() == Some(&first))
        .find(|(_, name)| same_words(name, text))
        .map(|(key, _)| *key)
}

/// Whether `text` is the words of `name`, ignoring ASCII case and spacing.
fn same_words(name: &str, text: &str) -> bool {
    let mut expected = name.split_ascii_whitespace();
    let mut words = text.split_whitespace();
    loop {
        match (expected.next(), words.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => {}
            _ => return false,
        }
    }
}

/// A lexed header block: the message and the `Key: value` lines of a caller's key
/// table, each with the line it came from. Revision files and seed files share it.
pub(super) struct Lexed<'a, K> {
    /// The first non-empty comment, unless that line is a key line (then empty); `None`
    /// for a header without comments.
    pub message: Option<String>,
    seen: Vec<(K, usize, &'a str)>,
}

impl<'a, K: Copy + Eq> Lexed<'a, K> {
    /// The value of `key` (trimmed) and its line.
    pub fn get(&self, key: K) -> Option<(usize, &'a str)> {
        self.seen
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|&(_, line, value)| (line, value))
    }
}

/// Lexes header `lines`: each blank or a `--` comment (anything else is
/// [`ParseErrorKind::SqlInHeader`]); `-- Key: value` lines whose key is in `keys` are
/// values (a key given twice is an error), other comments are the message or ignored.
pub(super) fn lex<'a, K: Copy + Eq>(
    lines: &[Line<'a>],
    keys: &[(K, &'static str)],
) -> Parsed<Lexed<'a, K>> {
    let mut lexed = Lexed {
        message: None,
        seen: Vec::new(),
    };
    for line in lines {
        let trimmed = trim(line.text);
        if trimmed.is_empty() {
            continue;
        }
        let Some(comment) = trimmed.strip_prefix("--") else {
            return Err(at(line.number, ParseErrorKind::SqlInHeader));
        };
        let comment = trim(comment);
        if comment.is_empty() {
            continue;
        }
        let entry = split_once_byte(comment, b':')
            .and_then(|(key, value)| Some((find_key(keys, key)?, trim(value))));
        let Some((key, value)) = entry else {
            lexed.message.get_or_insert_with(|| comment.to_string());
            continue;
        };
        lexed.message.get_or_insert_with(String::new);
        if let Some((first_line, _)) = lexed.get(key) {
            let key = key_name(keys, key).to_string();
            return Err(at(
                line.number,
                ParseErrorKind::DuplicateHeader { key, first_line },
            ));
        }
        lexed.seen.push((key, line.number, value));
    }
    Ok(lexed)
}

pub(super) fn parse(lines: &[Line]) -> Parsed<Header> {
    let values = lex(lines, &KEYS)?;
    let Some((id_line, id)) = values.get(Key::RevisionId) else {
        return Err(at(1, ParseErrorKind::MissingRevisionId));
    };
    check_id(id).map_err(|kind| at(id_line, kind))?;
    let list = |key: Key| match values.get(key) {
        Some((line, value)) => split_list(name(key), value).map_err(|kind| at(line, kind)),
        None => Ok(Vec::new()),
    };
    let transaction = match values.get(Key::Transaction) {
        Some((line, value)) => transaction(value).map_err(|kind| at(line, kind))?,
        None => TransactionMode::Default,
    };
    let downgrade_keeps = match values.get(Key::DowngradeKeeps) {
        Some((line, value)) => keeps(value).map_err(|kind| at(line, kind))?,
        None => Vec::new(),
    };
    Ok(Header {
        id: id.to_string(),
        down_revisions: list(Key::Revises)?,
        branch_labels: list(Key::BranchLabels)?,
        depends_on: list(Key::DependsOn)?,
        message: values.message.clone().unwrap_or_default(),
        create_date: values
            .get(Key::CreateDate)
            .map(|(_, value)| value.to_string())
            .filter(|value| !value.is_empty()),
        transaction,
        downgrade_keeps,
        lines: HeaderLines {
            revision_id: Some(id_line),
            revises: values.get(Key::Revises).map(|(line, _)| line),
            branch_labels: values.get(Key::BranchLabels).map(|(line, _)| line),
            depends_on: values.get(Key::DependsOn).map(|(line, _)| line),
        },
    })
}

/// Alembic's rule (no `@ - + :`), the file format's (no `,` or whitespace) and the
/// version table's (at most 32 characters).
pub(super) fn check_id(id: &str) -> Result<(), ParseErrorKind> {
    if id.is_empty() {
        return Err(ParseErrorKind::EmptyRevisionId);
    }
    let mut illegal: Vec<char> = ['+', '-', ':', '@']
        .into_iter()
        .filter(|&c| id.bytes().any(|b| char::from(b) == c))
        .collect();
    if !illegal.is_empty() {
        illegal.sort_unstable();
        let chars = illegal
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ParseErrorKind::IllegalIdCharacters {
            id: id.to_string(),
            chars,
        });
    }
    let separator = if id.is_ascii() {
        id.bytes()
            .any(|b| b == b',' || b.is_ascii_whitespace() || b == 0x0b)
    } else {
        id.contains(|c: char| c == ',' || c.is_whitespace())
    };
    if separator {
        return Err(ParseErrorKind::IdSeparator { id: id.to_string() });
    }
    let length = if id.is_ascii() {
        id.len()
    } else {
        id.chars().count()
    };
    if length > 32 {
        return Err(ParseErrorKind::IdTooLong {
            id: id.to_string(),
            length,
        });
    }
    Ok(())
}

/// `a, b`; empty or `None` for no items (`key` names the header in errors).
pub(super) fn split_list(key: &str, value: &str) -> Result<Vec<String>, ParseErrorKind> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let mut items = Vec::new();
    for item in value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
    {
        if item.contains(char::is_whitespace) {
            return Err(ParseErrorKind::ItemWithWhitespace {
                key: key.to_string(),
                item: item.to_string(),
            });
        }
        items.push(item.to_string());
    }
    Ok(items)
}

pub(super) fn transaction(value: &str) -> Result<TransactionMode, ParseErrorKind> {
    match value.to_ascii_lowercase().as_str() {
        "none" => Ok(TransactionMode::None),
        "" | "default" => Ok(TransactionMode::Default),
        _ => Err(ParseErrorKind::BadTransaction {
            value: value.to_string(),
        }),
    }
}

/// Kinds written as two words (`materialized view mv`), so the name starts after them.
const TWO_WORD_KINDS: [&str; 3] = ["materialized view", "event trigger", "foreign table"];

/// `schema zero_admin, function f(a int, b text)`: items split at commas outside
/// parentheses and double quotes; the kind is lower-cased, the name kept as written.
fn keeps(value: &str) -> Result<Vec<Keep>, ParseErrorKind> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let mut keeps = Vec::new();
    for item in top_level_items(value) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let bad = || ParseErrorKind::BadKeep {
            item: item.to_string(),
        };
        let (first, rest) = item.split_once(char::is_whitespace).ok_or_else(bad)?;
        let rest = rest.trim_start();
        let (second, after_second) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let two_words = format!("{first} {second}").to_lowercase();
        let (kind, name) = if TWO_WORD_KINDS.contains(&two_words.as_str()) {
            (two_words, after_second.trim())
        } else {
            (first.to_lowercase(), rest)
        };
        if name.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '_')
        {
            return Err(bad());
        }
        keeps.push(Keep {
            kind,
            name: name.to_string(),
        });
    }
    Ok(keeps)
}

fn top_level_items(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (offset, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                items.push(value.get(start..offset).unwrap_or_default());
                start = offset + 1;
            }
            _ => {}
        }
    }
    items.push(value.get(start..).unwrap_or_default());
    items
}
