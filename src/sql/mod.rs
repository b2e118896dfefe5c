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
/// the real splitter lands: splits on `;` with no quote awareness, but locates each
/// statement's first non-comment token and drops comment-only pieces, as the real one does.
pub fn split_statements(sql: &str, _dialect: Dialect) -> Result<Vec<Statement>, SplitError> {
    let mut statements = Vec::new();
    let mut offset = 0;
    for piece in sql.split(';') {
        let start = offset;
        offset += piece.len() + 1;
        let Some(token) = first_token(piece) else {
            continue;
        };
        let before = &sql[..start + token];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        statements.push(Statement {
            text: piece.trim().to_string(),
            line,
            column,
        });
    }
    Ok(statements)
}

/// Byte offset of the first character of `piece` outside whitespace and comments.
fn first_token(piece: &str) -> Option<usize> {
    let mut rest = piece;
    loop {
        let trimmed = rest.trim_start();
        if let Some(comment) = trimmed.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = trimmed.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else if trimmed.is_empty() {
            return None;
        } else {
            return Some(piece.len() - trimmed.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_locates_statements_and_drops_comments() {
        let sql =
            "-- lead\nCREATE TABLE a (id int);\n\n  /* x */ INSERT INTO a VALUES (1);\n-- tail\n";
        let statements = split_statements(sql, Dialect::Postgresql).unwrap();
        let found: Vec<(usize, usize, &str)> = statements
            .iter()
            .map(|s| (s.line, s.column, s.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 1, "-- lead\nCREATE TABLE a (id int)"),
                (4, 11, "/* x */ INSERT INTO a VALUES (1)")
            ]
        );
    }
}
