//! The user's Definition-of-Done checks: a TOML file of `[[check]]` tables, each either a
//! query with an expectation (`sql` + `expect`) or an existence check
//! (`exists = "table zero_admin.inbox_items"`), and the pure judgement of a query's rows
//! against an expectation. Parsing never touches a database; a malformed file is refused
//! with its path, line and column.
//!
//! ```toml
//! [[check]]
//! title = "search_path seen by the revisions"
//! sql = "SELECT current_setting('search_path')"
//! expect = "zero_admin, public"      # compared as text
//!
//! [[check]]
//! title = "pgcrypto installed"
//! exists = "extension pgcrypto"
//! ```
//!
//! `expect` is a literal compared as text (numbers too: `expect = 6`), `true` or `false`
//! (a boolean column, `t`/`f`/`1`/`0` accepted), `"non-null"` (the first column of the
//! first row is not NULL) or `"rows = N"` (exactly N rows).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use super::expect::{Expect, Rows};

use super::exists::{ExistsKind, ExistsTarget};
use crate::dialect::Dialect;

/// A DoD file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DodFile {
    /// The file as named on the command line (or found beside `alembic.ini`).
    pub path: PathBuf,
    pub checks: Vec<DodCheck>,
}

/// One `[[check]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DodCheck {
    pub title: String,
    /// 1-based line of the `[[check]]` table in the file.
    pub line: usize,
    pub probe: Probe,
}

/// What a check runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// `sql` + `expect`.
    Sql { sql: String, expect: Expect },
    /// `exists = "kind name"`.
    Exists(ExistsTarget),
}

/// Why a DoD file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DodError {
    #[error("cannot read the DoD file `{}`: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("`{}` line {line}, column {column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    check: Vec<Spanned<RawCheck>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    title: Option<Spanned<String>>,
    sql: Option<Spanned<String>>,
    expect: Option<Spanned<toml::Value>>,
    exists: Option<Spanned<String>>,
}

impl DodFile {
    /// Reads and parses the file at `path`.
    pub fn read(path: &Path) -> Result<DodFile, DodError> {
        let text = std::fs::read_to_string(path).map_err(|e| DodError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        DodFile::parse(&text, path)
    }

    /// Parses DoD text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<DodFile, DodError> {
        let at = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            DodError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |span| span.start);
            at(offset, err.message().trim().to_string())
        })?;
        let mut checks = Vec::with_capacity(raw.check.len());
        for (index, spanned) in raw.check.into_iter().enumerate() {
            let start = spanned.span().start;
            let (line, _) = line_column(text, start);
            let raw = spanned.into_inner();
            let number = index + 1;
            let probe = match (raw.sql, raw.exists) {
                (Some(sql), None) => {
                    if sql.get_ref().trim().is_empty() {
                        return Err(at(sql.span().start, "`sql` is empty".into()));
                    }
                    let Some(expect) = raw.expect else {
                        return Err(at(
                            start,
                            format!(
                                "check {number} has `sql` but no `expect` (a literal, `true`, \
                                 `\"non-null\"` or `\"rows = N\"`)"
                            ),
                        ));
                    };
                    let span = expect.span();
                    let expect = Expect::parse(expect.into_inner())
                        .map_err(|message| at(span.start, message))?;
                    Probe::Sql {
                        sql: sql.into_inner().trim().to_string(),
                        expect,
                    }
                }
                (None, Some(exists)) => {
                    if let Some(expect) = &raw.expect {
                        return Err(at(
                            expect.span().start,
                            "`expect` does not go with `exists` (an existence check expects \
                             the object to exist)"
                                .into(),
                        ));
                    }
                    let span = exists.span();
                    Probe::Exists(
                        ExistsTarget::parse(exists.get_ref())
                            .map_err(|message| at(span.start, message))?,
                    )
                }
                (Some(_), Some(exists)) => {
                    return Err(at(
                        exists.span().start,
                        format!("check {number} has both `sql` and `exists`; use one per check"),
                    ))
                }
                (None, None) => {
                    return Err(at(
                        start,
                        format!("check {number} has neither `sql` nor `exists`"),
                    ))
                }
            };
            let title = match (raw.title, &probe) {
                (Some(title), _) if !title.get_ref().trim().is_empty() => {
                    title.get_ref().trim().to_string()
                }
                (_, Probe::Exists(target)) => format!("{target} exists"),
                (Some(title), Probe::Sql { .. }) => {
                    return Err(at(title.span().start, "`title` is empty".into()))
                }
                (None, Probe::Sql { .. }) => {
                    return Err(at(start, format!("check {number} has no `title`")))
                }
            };
            checks.push(DodCheck { title, line, probe });
        }
        Ok(DodFile {
            path: path.to_path_buf(),
            checks,
        })
    }

    /// Refuses existence checks the backend cannot answer (SQLite has no schemas,
    /// extensions, functions or named-constraint catalog).
    pub fn validate_for(&self, dialect: Dialect) -> Result<(), DodError> {
        for check in &self.checks {
            if let Probe::Exists(target) = &check.probe {
                if !target.kind.supported_on(dialect) {
                    return Err(DodError::Invalid {
                        path: self.path.clone(),
                        line: check.line,
                        column: 1,
                        message: format!(
                            "`exists = \"{target}\"` cannot be checked on {}: it knows {}",
                            dialect.name(),
                            ExistsKind::names_on(dialect)
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
