//! The layout of a revision file: its lines, the `-- migrate:` section markers among
//! them, and the verbatim text of a section. Says nothing about what the header means.

use super::{at, ParseErrorKind, Parsed};
use crate::revision::Section;

/// One line of the file: 1-based number, byte range of its content (without `\r\n`).
#[derive(Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) number: usize,
    pub(super) start: usize,
    pub(super) text: &'a str,
}

impl Line<'_> {
    pub(super) fn end(&self) -> usize {
        self.start + self.text.len()
    }

    pub(super) fn is_blank(&self) -> bool {
        trim(self.text).is_empty()
    }
}

/// `str::trim` (Unicode whitespace), with a fast path for the usual line whose ends,
/// once ASCII whitespace is gone, are neither non-ASCII nor `\x0b` (which `trim` also
/// strips and `trim_ascii` does not).
pub(super) fn trim(text: &str) -> &str {
    let ascii = text.trim_ascii();
    let plain = |b: Option<&u8>| b.is_none_or(|&b| b < 0x80 && b != 0x0b);
    let bytes = ascii.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        ascii
    } else {
        text.trim()
    }
}

/// The lines of `text`, split at `\n`.
pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    // A plain byte loop: lines are short, and `str::split` pays a searcher's set-up
    // cost on every one of them.
    let mut lines = Vec::with_capacity(32);
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let rest = bytes.get(start..).unwrap_or_default();
        let (len, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(newline) => (newline, start + newline + 1),
            None => (rest.len(), bytes.len()),
        };
        let raw = text.get(start..start + len).unwrap_or_default();
        lines.push(Line {
            number: lines.len() + 1,
            start,
            text: raw.strip_suffix('\r').unwrap_or(raw),
        });
        start = next;
    }
    lines
}

/// `str::split_once` at an ASCII byte, without a searcher's set-up cost.
pub(super) fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// Which section a marker opens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind {
    Upgrade,
    Downgrade,
}

/// A `-- migrate:<name> [rest]` line.
pub(super) struct Marker<'a> {
    pub(super) index: usize,
    pub(super) line: usize,
    pub(super) kind: LineKind,
    pub(super) rest: &'a str,
}

/// The marker on `line` (the `index`-th), if it is one; `-- migrate:<other>` is an error.
pub(super) fn marker<'a>(index: usize, line: &Line<'a>) -> Parsed<Option<Marker<'a>>> {
    // Most lines are SQL or blank: turn them away on their first visible byte.
    let first = line.text.trim_ascii_start().as_bytes().first();
    if first.is_some_and(|&b| b != b'-' && b < 0x80 && b != 0x0b) {
        return Ok(None);
    }
    let Some(comment) = trim(line.text).strip_prefix("--") else {
        return Ok(None);
    };
    let comment = comment.trim_start();
    let prefix = "migrate:";
    let is_marker = comment
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    if !is_marker {
        return Ok(None);
    }
    let after = comment.get(prefix.len()..).unwrap_or_default();
    let (name, rest) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
    let kind = match name.to_ascii_lowercase().as_str() {
        "upgrade" => LineKind::Upgrade,
        "downgrade" => LineKind::Downgrade,
        _ => {
            let marker = trim(line.text).to_string();
            return Err(at(line.number, ParseErrorKind::UnknownMarker { marker }));
        }
    };
    Ok(Some(Marker {
        index,
        line: line.number,
        kind,
        rest: rest.trim(),
    }))
}

/// The section made of `lines` (after the marker at `marker_line`): verbatim text from
/// the first to the last non-blank line.
pub(super) fn section(text: &str, lines: &[Line], marker_line: usize) -> Section {
    let first = lines.iter().find(|line| !line.is_blank());
    let last = lines.iter().rev().find(|line| !line.is_blank());
    match (first, last) {
        (Some(first), Some(last)) => Section {
            sql: text
                .get(first.start..last.end())
                .unwrap_or_default()
                .to_string(),
            line: first.number,
        },
        _ => Section {
            sql: String::new(),
            line: marker_line + 1,
        },
    }
}
