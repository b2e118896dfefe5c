//! One Alembic revision -> the text of a mig revision file (SPEC section 2): the header
//! from Alembic's graph (id, parents, labels, `depends_on`, message, create date), the
//! bodies Alembic rendered, `Transaction: none` for `autocommit_block()` users, an
//! `irreversible` downgrade (with Alembic's reason) for a downgrade that raised or is
//! empty, and `-- TODO` bodies for a revision Alembic could not render offline. Pure:
//! writes nothing; the text is parsed back by mig's own parser before it is used.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::revision::parse::parse_revision;

use super::alembic::{AlembicRevision, Body};

/// What became of one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversion {
    /// Both directions rendered.
    Converted,
    /// The upgrade rendered; the downgrade is marked irreversible, for this reason.
    Irreversible(String),
    /// The upgrade could not be rendered offline (Alembic's error): `-- TODO` body.
    Skipped(String),
}

/// A converted revision file, not yet written.
#[derive(Debug, Clone)]
pub struct Converted {
    pub id: String,
    /// Relative to the converted project's directory.
    pub file: PathBuf,
    pub text: String,
    pub outcome: Conversion,
    pub no_transaction: bool,
}

/// Converts `rev`, whose file lives under the converted location `location_dir`
/// (relative to the project) at the same relative path as in its Alembic location, so
/// the load order (sorted paths, Alembic's tie-breaker) stays the same. `original` names
/// the Alembic module in comments.
pub fn convert(
    rev: &AlembicRevision,
    location_dir: &Path,
    original: &str,
) -> Result<Converted, String> {
    let relative = rev
        .location
        .as_deref()
        .and_then(|loc| rev.path.strip_prefix(loc).ok())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(rev.path.file_name().unwrap_or_default()));
    let file = location_dir.join(relative.with_extension("sql"));
    let no_transaction = rev.upgrade.autocommit || rev.downgrade.autocommit;

    let mut text = header(rev, no_transaction, original);
    let upgrade = body(&rev.upgrade);
    let outcome = match (&rev.upgrade.error, &upgrade) {
        (Some(error), _) => Conversion::Skipped(error.clone()),
        _ => match (&rev.downgrade.error, body(&rev.downgrade)) {
            (Some(error), _) => {
                Conversion::Irreversible(format!("Alembic's downgrade() raised {error}"))
            }
            (None, down) if down.is_empty() && !upgrade.is_empty() => {
                Conversion::Irreversible("Alembic's downgrade() does nothing".into())
            }
            _ => Conversion::Converted,
        },
    };
    text.push_str("\n-- migrate:upgrade\n");
    match &outcome {
        Conversion::Skipped(error) => {
            let _ = writeln!(
                text,
                "-- TODO: Alembic could not render this upgrade offline (does it read the \
                 database?):"
            );
            push_comment(&mut text, &format!("  {error}"));
            let _ = writeln!(text, "-- Write its SQL here; the original is {original}.");
        }
        _ => push_body(&mut text, &upgrade),
    }
    match &outcome {
        Conversion::Irreversible(reason) => {
            text.push_str("\n-- migrate:downgrade irreversible\n");
            push_comment(&mut text, reason);
        }
        Conversion::Skipped(_) if body(&rev.downgrade).is_empty() => {
            text.push_str("\n-- migrate:downgrade\n");
            let _ = writeln!(
                text,
                "-- TODO: write the downgrade; the original is {original}."
            );
        }
        _ => {
            text.push_str("\n-- migrate:downgrade\n");
            push_body(&mut text, &body(&rev.downgrade));
        }
    }
    parse_revision(&file, &text).map_err(|e| e.kind.to_string())?;
    Ok(Converted {
        id: rev.id.clone(),
        file,
        text,
        outcome,
        no_transaction,
    })
}

fn header(rev: &AlembicRevision, no_transaction: bool, original: &str) -> String {
    let mut s = String::new();
    let message: Vec<&str> = rev.message.split_whitespace().collect();
    if !message.is_empty() {
        let _ = writeln!(s, "-- {}\n--", message.join(" "));
    }
    let _ = writeln!(s, "-- Revision ID: {}", rev.id);
    let _ = writeln!(s, "-- Revises: {}", rev.down_revisions.join(", "));
    if let Some(date) = &rev.create_date {
        let _ = writeln!(s, "-- Create Date: {date}");
    }
    if !rev.branch_labels.is_empty() {
        let _ = writeln!(s, "-- Branch Labels: {}", rev.branch_labels.join(", "));
    }
    if !rev.depends_on.is_empty() {
        let _ = writeln!(s, "-- Depends On: {}", rev.depends_on.join(", "));
    }
    if no_transaction {
        let _ = writeln!(s, "-- Transaction: none");
    }
    let _ = writeln!(
        s,
        "--\n-- Converted by `mig import alembic` from {original}"
    );
    s
}

/// The rendered body without its trailing blank lines; empty when there is none.
fn body(body: &Body) -> String {
    body.sql
        .as_deref()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn push_body(text: &mut String, body: &str) {
    if !body.is_empty() {
        text.push_str(body);
        text.push('\n');
    }
}

fn push_comment(text: &mut String, comment: &str) {
    for line in comment.lines() {
        let _ = writeln!(text, "-- {line}");
    }
}

#[cfg(test)]
mod tests;
