//! Where each kind of token ends, given where it starts: quotes, comments, dollar quotes,
//! words. Byte-level and allocation-free; errors carry the opening offset.

use crate::dialect::Dialect;
use std::fmt;

/// An unterminated construct, at the byte offset where it opened.
pub(super) struct Unterminated {
    pub what: Construct,
    pub start: usize,
}

/// The constructs that can be left open.
pub(super) enum Construct {
    String,
    Identifier,
    DollarQuote(String),
    BlockComment,
}

impl fmt::Display for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Construct::String => f.write_str("unterminated quoted string"),
            Construct::Identifier => f.write_str("unterminated quoted identifier"),
            Construct::DollarQuote(tag) => {
                write!(f, "unterminated dollar-quoted string `{tag}`")
            }
            Construct::BlockComment => f.write_str("unterminated block comment"),
        }
    }
}

/// MySQL reads `--` as a comment only when a space or control character follows.
pub(super) fn dash_comment(dialect: Dialect, third: Option<&u8>) -> bool {
    dialect != Dialect::Mysql || third.is_none_or(|&b| b <= b' ')
}

/// Whether a Unicode space character (NBSP, U+3000, ...) starts at `pos`.
pub(super) fn starts_with_space(sql: &str, pos: usize) -> bool {
    sql.get(pos..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_whitespace)
}

pub(super) fn is_word_start(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

fn is_word_byte(byte: u8) -> bool {
    is_word_start(byte) || byte == b'$'
}

pub(super) fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while bytes.get(end).is_some_and(|&b| is_word_byte(b)) {
        end += 1;
    }
    end
}

/// Position of the newline that ends a line comment (or the end of input).
pub(super) fn line_end(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |offset| start + offset)
}

/// Position just after the `*/` closing the comment that opens at `start`.
pub(super) fn block_comment_end(
    bytes: &[u8],
    start: usize,
    nested: bool,
) -> Result<usize, Unterminated> {
    let mut depth = 1usize;
    let mut pos = start + 2;
    while let (Some(&a), Some(&b)) = (bytes.get(pos), bytes.get(pos + 1)) {
        if a == b'*' && b == b'/' {
            depth -= 1;
            pos += 2;
            if depth == 0 {
                return Ok(pos);
            }
        } else if nested && a == b'/' && b == b'*' {
            depth += 1;
            pos += 2;
        } else {
            pos += 1;
        }
    }
    Err(Unterminated {
        what: Construct::BlockComment,
        start,
    })
}

/// Position just after the quote closing the quoted text that opens at `start`; a doubled
/// quote is an escaped quote, and with `backslash` so is any character after `\`.
pub(super) fn quoted_end(bytes: &[u8], start: usize, quote: u8, backslash: bool) -> Option<usize> {
    let mut pos = start + 1;
    loop {
        let byte = *bytes.get(pos)?;
        if backslash && byte == b'\\' {
            pos += 2;
        } else if byte == quote {
            if bytes.get(pos + 1) == Some(&quote) {
                pos += 2;
            } else {
                return Some(pos + 1);
            }
        } else {
            pos += 1;
        }
    }
}

/// SQLite's `[identifier]`: no escapes.
pub(super) fn bracket_end(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = bytes.get(start..)?;
    rest.iter()
        .position(|&b| b == b']')
        .map(|offset| start + offset + 1)
}

/// If a PostgreSQL dollar quote opens at `start` (`$$` or `$tag$`, the tag not starting
/// with a digit, so `$1` stays a parameter), the position just after its opening tag.
pub(super) fn dollar_tag_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut pos = start + 1;
    let first = *bytes.get(pos)?;
    if first == b'$' {
        return Some(pos + 1);
    }
    if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
        return None;
    }
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'$' => return Some(pos + 1),
            b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => pos += 1,
            _ => return None,
        }
    }
    None
}

/// Position just after the tag closing the dollar quote whose opening tag is
/// `sql[start..tag_end]`.
pub(super) fn dollar_quote_end(
    sql: &str,
    start: usize,
    tag_end: usize,
) -> Result<usize, Unterminated> {
    let tag = sql.get(start..tag_end).unwrap_or("$$");
    sql.get(tag_end..)
        .and_then(|body| body.find(tag))
        .map(|offset| tag_end + offset + tag.len())
        .ok_or_else(|| Unterminated {
            what: Construct::DollarQuote(tag.to_string()),
            start,
        })
}
