//! The SQL statement splitter: cuts a revision section into the statements a server runs
//! one at a time (for `Transaction: none`, error locations and per-statement timing).
//!
//! It is a lexer, not a parser: it knows quoting, comments and the few block constructs
//! whose bodies contain semicolons (PostgreSQL `BEGIN ATOMIC ... END`, SQLite and MySQL
//! trigger/routine `BEGIN ... END`), per [`Dialect`]. It never rewrites SQL: every
//! statement is a verbatim slice of the input. It must never panic and runs in linear time.

mod lexer;
mod locate;
mod pending;
#[cfg(test)]
mod tests;
mod token;

use crate::dialect::Dialect;

use lexer::Span;
use locate::Locator;
use token::Unterminated;

/// One statement of a section, located in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement text without its terminating `;`, trimmed; comments that directly
    /// precede it are kept at its start (a comment on the same line as the previous
    /// statement's `;` belongs to neither and is left out). A slice of the input.
    pub text: &'a str,
    /// 1-based line, relative to the start of the split text, of the statement's first
    /// token that is not a comment.
    pub line: usize,
    /// 1-based column (in characters) of that token.
    pub column: usize,
}

/// Error from the splitter: an unterminated quote, dollar quote or block comment, located
/// where it started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct SplitError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Splits SQL text into statements, per the lexical rules of `dialect`.
///
/// Trailing text without a `;` is a statement; statements made only of comments and
/// whitespace are dropped.
pub fn split_statements(sql: &str, dialect: Dialect) -> Result<Vec<Statement<'_>>, SplitError> {
    let mut statements = Vec::new();
    let mut locator = Locator::new(sql);
    lexer::scan(sql, dialect, |span: Span| {
        let (line, column) = locator.locate(span.token_start);
        let text = sql.get(span.text_start..span.end).unwrap_or_default();
        statements.push(Statement {
            text: text.trim(),
            line,
            column,
        });
    })
    .map_err(|err| split_error(sql, &err))?;
    Ok(statements)
}

/// Byte offset of the first token of `statement` that is not a comment; `None` when it
/// has none (or does not lex).
pub fn first_token(statement: &str, dialect: Dialect) -> Option<usize> {
    let mut first = None;
    let _ = lexer::scan(statement, dialect, |span: Span| {
        first.get_or_insert(span.token_start);
    });
    first
}

/// `statement` from its first token on: the comments and whitespace before it left out
/// (for excerpts of a statement in messages). The whole text when it has no token.
pub fn without_leading_comments(statement: &str, dialect: Dialect) -> &str {
    first_token(statement, dialect)
        .and_then(|start| statement.get(start..))
        .unwrap_or(statement)
}

/// Checks that `sql` lexes under `dialect` (every quote, dollar quote and block comment is
/// closed) without building the statements.
pub fn validate(sql: &str, dialect: Dialect) -> Result<(), SplitError> {
    // Only a quote, a quoted identifier, a dollar quote or a block comment can be left
    // open: text without any byte that opens one lexes under every dialect.
    let opens = |b: &u8| matches!(b, b'\'' | b'"' | b'`' | b'[' | b'$' | b'/');
    if !sql.as_bytes().iter().any(opens) {
        return Ok(());
    }
    lexer::scan(sql, dialect, |_| {}).map_err(|err| split_error(sql, &err))
}

fn split_error(sql: &str, err: &Unterminated) -> SplitError {
    let (line, column) = Locator::new(sql).locate(err.start);
    SplitError {
        message: err.what.to_string(),
        line,
        column,
    }
}
