//! New revision files for `mig revision` and `mig merge`: the revision template rendered
//! with the new revision's fields, named by `file_template`, parsed back before anything
//! is written, and written without ever replacing an existing file. Does not choose
//! parents or check the graph; the command does.
//!
//! Template syntax: `${name}` is replaced by a field; nothing else is special (so `$$`
//! bodies pass through). Names: `message` (one line), `revision`, `revises`,
//! `create_date`, `branch_labels`, `depends_on` (lists joined with `, `, empty when none).
//! A line that held a placeholder loses its trailing whitespace, so an empty value leaves
//! `-- Revises:`, not `-- Revises: `.

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Timelike};

use super::file_name::{render_file_template, slug, FileTemplateError, FileTokens};
use crate::revision::parse::{check_revision_id, parse_revision, ParseError, ParseErrorKind};
use crate::revision::Revision;

/// The built-in revision template (`templates/revision.sql.tmpl`), used when a project
/// has none of its own.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../templates/revision.sql.tmpl");

/// The fields of a revision about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    pub id: String,
    pub message: String,
    /// Parents; empty for a base, several for a merge.
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// When it was created, in the configured `timezone` (UTC without one).
    pub create_date: DateTime<FixedOffset>,
}

/// How new revision files are named (`[alembic] file_template`, `truncate_slug_length`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNaming {
    pub file_template: String,
    pub truncate_slug_length: usize,
}

impl Default for FileNaming {
    fn default() -> Self {
        FileNaming {
            file_template: super::DEFAULT_FILE_TEMPLATE.to_string(),
            truncate_slug_length: super::DEFAULT_TRUNCATE_SLUG_LENGTH,
        }
    }
}

/// Why a revision file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An id Alembic would refuse (its text), or one too long for the version table.
    #[error(transparent)]
    InvalidId(ParseErrorKind),
    #[error("revision template: {problem}")]
    Template { problem: String },
    #[error(transparent)]
    FileTemplate(#[from] FileTemplateError),
    #[error("the revision template does not produce a valid revision file: {0}")]
    RenderedInvalid(ParseError),
    #[error("`{}` already exists; refusing to overwrite it", path.display())]
    Exists { path: PathBuf },
    #[error("cannot write `{}`: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Python's `str(datetime)`, as Alembic writes `Create Date`: microseconds only when
/// non-zero, then the UTC offset: `2025-10-18 17:30:00+00:00`.
pub fn format_create_date(date: &DateTime<FixedOffset>) -> String {
    let micros = date.nanosecond() % 1_000_000_000 / 1_000;
    if micros == 0 {
        date.format("%Y-%m-%d %H:%M:%S%:z").to_string()
    } else {
        date.format(&format!("%Y-%m-%d %H:%M:%S.{micros:06}%:z"))
            .to_string()
    }
}

/// The message as one line (the header keeps only the first line of a message).
fn one_line(message: &str) -> String {
    let parts: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    parts.join(" ")
}

/// Renders the revision template for `new`.
pub fn render_revision(template: &str, new: &NewRevision) -> Result<String, WriteError> {
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "message" => one_line(&new.message),
            "revision" => new.id.clone(),
            "revises" => new.down_revisions.join(", "),
            "create_date" => format_create_date(&new.create_date),
            "branch_labels" => new.branch_labels.join(", "),
            "depends_on" => new.depends_on.join(", "),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(template.len() + 128);
    for (index, line) in template.split_inclusive('\n').enumerate() {
        let (content, ending) = match line.strip_suffix("\r\n") {
            Some(content) => (content, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(content) => (content, "\n"),
                None => (line, ""),
            },
        };
        if !content.contains("${") {
            out.push_str(line);
            continue;
        }
        let mut rendered = String::with_capacity(content.len() + 32);
        let mut rest = content;
        while let Some(open) = rest.find("${") {
            rendered.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 2..).unwrap_or_default();
            let Some((name, tail)) = after.split_once('}') else {
                let problem = format!("unclosed `${{` at line {}", index + 1);
                return Err(WriteError::Template { problem });
            };
            let Some(text) = value(name.trim()) else {
                let problem = format!(
                    "unknown placeholder `${{{name}}}` at line {}; placeholders are message, \
                     revision, revises, create_date, branch_labels, depends_on",
                    index + 1
                );
                return Err(WriteError::Template { problem });
            };
            rendered.push_str(&text);
            rest = tail;
        }
        rendered.push_str(rest);
        out.push_str(rendered.trim_end());
        out.push_str(ending);
    }
    Ok(out)
}

/// The file name for `new` (relative to its version location): `file_template` rendered
/// with Alembic's tokens, plus `.sql`. It may contain `/` (subdirectories), as in Alembic.
pub fn revision_file_name(new: &NewRevision, naming: &FileNaming) -> Result<String, WriteError> {
    let slug = slug(&new.message, naming.truncate_slug_length);
    let tokens = FileTokens {
        rev: &new.id,
        slug: &slug,
        create_date: new.create_date,
    };
    Ok(format!(
        "{}.sql",
        render_file_template(&naming.file_template, &tokens)?
    ))
}

/// Writes the revision file for `new` into the version location `dir` (created if
/// missing) and returns it parsed. The rendered text is parsed back first, so a broken
/// template or a bad id writes nothing; an existing file is never replaced.
pub fn write_revision(
    dir: &Path,
    new: &NewRevision,
    template: &str,
    naming: &FileNaming,
) -> Result<Revision, WriteError> {
    check_revision_id(&new.id).map_err(WriteError::InvalidId)?;
    let path = dir.join(revision_file_name(new, naming)?);
    let text = render_revision(template, new)?;
    let revision = parse_revision(&path, &text).map_err(WriteError::RenderedInvalid)?;
    let io = |error: std::io::Error| WriteError::Io {
        path: path.clone(),
        error,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            return Err(WriteError::Exists { path });
        }
        Err(error) => return Err(io(error)),
    };
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(revision)
}
