//! One forward pass over the bytes of SQL text that reports where each statement starts
//! and ends. Only ASCII bytes are structural, so every boundary it reports falls on a
//! character boundary. It must not allocate per token nor look back more than a byte.

use super::pending::{Keyword, Pending};
use super::token::{
    block_comment_end, bracket_end, dash_comment, dollar_quote_end, dollar_tag_end, is_word_start,
    line_end, quoted_end, starts_with_space, word_end, Construct, Unterminated,
};
use crate::dialect::Dialect;

/// Where one statement lies in the text (byte offsets).
pub(super) struct Span {
    /// Start of the statement text: its first token or a comment directly before it.
    pub text_start: usize,
    /// Its first token that is not a comment.
    pub token_start: usize,
    /// End of its text: the terminating `;` or the end of the input.
    pub end: usize,
}

/// Scans `sql`, calling `emit` for every statement that has a token, in order.
pub(super) fn scan(
    sql: &str,
    dialect: Dialect,
    mut emit: impl FnMut(Span),
) -> Result<(), Unterminated> {
    let bytes = sql.as_bytes();
    let mut stmt = Pending::new(dialect);
    stmt.fresh_line = true;
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        let next = bytes.get(pos + 1).copied();
        match byte {
            b'\n' => {
                stmt.fresh_line = true;
                pos += 1;
            }
            // `\x0b` (vertical tab) is whitespace to PostgreSQL and to `str::trim`.
            b if b.is_ascii_whitespace() || b == 0x0b => pos += 1,
            // Unicode spaces (NBSP, U+3000, ...) separate tokens too, so that no statement
            // is made of whitespace alone.
            b if b >= 0x80 && starts_with_space(sql, pos) => {
                pos += sql
                    .get(pos..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
            }
            b'-' if next == Some(b'-') && dash_comment(dialect, bytes.get(pos + 2)) => {
                stmt.comment(pos);
                pos = line_end(bytes, pos);
            }
            b'#' if dialect == Dialect::Mysql => {
                stmt.comment(pos);
                pos = line_end(bytes, pos);
            }
            b'/' if next == Some(b'*') => {
                let end = block_comment_end(bytes, pos, dialect == Dialect::Postgresql)?;
                // MySQL runs `/*! ... */` and reads `/*+ ... */` as hints: they are code.
                let hint = dialect == Dialect::Mysql
                    && matches!(bytes.get(pos + 2), Some(b'!') | Some(b'+'));
                if hint {
                    stmt.token(pos);
                } else {
                    stmt.comment(pos);
                }
                pos = end;
            }
            b';' => {
                if stmt.ends_here() {
                    if let (Some(text_start), Some(token_start)) =
                        (stmt.text_start, stmt.token_start)
                    {
                        emit(Span {
                            text_start,
                            token_start,
                            end: pos,
                        });
                    }
                    stmt = Pending::new(dialect);
                } else {
                    stmt.token(pos);
                }
                pos += 1;
            }
            b'\'' => {
                stmt.token(pos);
                pos = quoted_end(bytes, pos, b'\'', dialect == Dialect::Mysql)
                    .ok_or(unterminated(Construct::String, pos))?;
            }
            b'"' => {
                stmt.token(pos);
                let (what, backslash) = match dialect {
                    Dialect::Mysql => (Construct::String, true),
                    _ => (Construct::Identifier, false),
                };
                pos = quoted_end(bytes, pos, b'"', backslash).ok_or(unterminated(what, pos))?;
            }
            b'`' if dialect != Dialect::Postgresql => {
                stmt.token(pos);
                pos = quoted_end(bytes, pos, b'`', false)
                    .ok_or(unterminated(Construct::Identifier, pos))?;
            }
            b'[' if dialect == Dialect::Sqlite => {
                stmt.token(pos);
                pos = bracket_end(bytes, pos).ok_or(unterminated(Construct::Identifier, pos))?;
            }
            b'$' if dialect == Dialect::Postgresql => {
                stmt.token(pos);
                pos = match dollar_tag_end(bytes, pos) {
                    Some(tag_end) => dollar_quote_end(sql, pos, tag_end)?,
                    None => pos + 1,
                };
            }
            b if is_word_start(b) => {
                let end = word_end(bytes, pos);
                let word = bytes.get(pos..end).unwrap_or_default();
                let e_string = dialect == Dialect::Postgresql
                    && word.eq_ignore_ascii_case(b"e")
                    && bytes.get(end) == Some(&b'\'');
                if e_string {
                    stmt.token(pos);
                    pos = quoted_end(bytes, end, b'\'', true)
                        .ok_or(unterminated(Construct::String, pos))?;
                } else {
                    stmt.start(pos);
                    stmt.word(Keyword::of(word));
                    pos = end;
                }
            }
            b'(' => {
                stmt.token(pos);
                stmt.parens += 1;
                pos += 1;
            }
            b')' => {
                stmt.token(pos);
                stmt.parens = stmt.parens.saturating_sub(1);
                pos += 1;
            }
            _ => {
                stmt.token(pos);
                pos += 1;
            }
        }
    }
    if let (Some(text_start), Some(token_start)) = (stmt.text_start, stmt.token_start) {
        emit(Span {
            text_start,
            token_start,
            end: bytes.len(),
        });
    }
    Ok(())
}

pub(super) fn unterminated(what: Construct, start: usize) -> Unterminated {
    Unterminated { what, start }
}
