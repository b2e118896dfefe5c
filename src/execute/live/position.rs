//! Turning a character offset inside a statement into a line and column in its file,
//! given where the statement's first token is (the splitter's location). Pure.

use crate::dialect::Dialect;
use crate::sql::first_token;

/// The file location of character `offset` of `statement`, whose first token (after
/// leading whitespace and comments) is at `line`:`column`. `None` when the offset falls
/// before that token or past the end.
pub(super) fn locate_in_statement(
    statement: &str,
    line: usize,
    column: usize,
    offset: usize,
) -> Option<(usize, usize)> {
    let token = first_token_chars(statement)?;
    if offset < token || offset >= statement.chars().count() {
        return None;
    }
    let (mut line, mut column) = (line, column);
    for c in statement.chars().skip(token).take(offset - token) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Some((line, column))
}

/// Character offset of the statement's first token (PostgreSQL's lexical rules: only
/// PostgreSQL sends an error position).
fn first_token_chars(statement: &str) -> Option<usize> {
    let token = first_token(statement, Dialect::Postgresql)?;
    Some(statement.get(..token)?.chars().count())
}

#[cfg(test)]
mod tests;
