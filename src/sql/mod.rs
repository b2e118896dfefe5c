//! The SQL statement splitter.
//!
//! Interface fixed for the other modules; the `parse` branch replaces the body of
//! `split_statements` with the real splitter (dollar quotes, E'' strings, nested
//! comments, BEGIN ATOMIC, SQLite trigger bodies).

use crate::dialect::Dialect;

/// One statement of a section, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text without its terminating `;`, trimmed; comments that directly
    /// precede it are kept at its start.
    pub text: String,
    /// 1-based line and column, relative to the start of the split text, of the
    /// statement's first token that is not a comment.
    pub line: usize,
    pub column: usize,
}

/// Error from the splitter: unterminated quote, dollar quote or comment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct SplitError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Splits SQL text into statements. Naive placeholder used only on this branch until
/// the real splitter lands: splits on `;` with no quote awareness.
pub fn split_statements(sql: &str, _dialect: Dialect) -> Result<Vec<Statement>, SplitError> {
    Ok(sql
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Statement {
            text: s.to_string(),
            line: 1,
            column: 1,
        })
        .collect())
}
