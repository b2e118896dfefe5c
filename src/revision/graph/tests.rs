//! Graph building, resolution, `history` and `current`. Expected messages and orders
//! come from Alembic 1.20.1 (`RevisionMap` built from the same revisions, or the
//! `alembic` command on a project with the same graph). Here: the helpers that print
//! what Alembic printed; the cases in [`build`] and [`resolve`].

mod build;
mod resolve;

use insta::assert_snapshot;

use super::resolve::Spec;
use super::{GraphError, RevisionMap, RevisionRef};
use crate::revision::fixture::strings;
use crate::revision::Revision;

fn build_error(revisions: Vec<Revision>) -> String {
    match RevisionMap::new(revisions) {
        Ok(_) => "built".to_owned(),
        Err(err) => err.to_string(),
    }
}

fn ids(refs: &[RevisionRef<'_>]) -> Vec<String> {
    refs.iter().map(|r| r.id().to_owned()).collect()
}

/// Alembic's raw `RevisionError` text for `get_revision`, or the id it resolves to.
fn resolved(map: &RevisionMap, symbol: &str) -> String {
    match map.get_revision(symbol) {
        Ok(Some(revision)) => revision.id().to_owned(),
        Ok(None) => "base".to_owned(),
        Err(err) => err.to_string(),
    }
}

/// The text Alembic's commands print for the same resolution.
fn command(map: &RevisionMap, symbol: &str) -> String {
    match map.get_revision(symbol) {
        Ok(found) => found.map_or("base".to_owned(), |r| r.id().to_owned()),
        Err(err) => format!("FAILED: {}", err.into_command()),
    }
}

fn history(map: &RevisionMap, range: Option<&str>, current: &[&str]) -> String {
    let (start, end) = match range {
        Some(range) => match super::parse_history_range(range) {
            Ok(sides) => sides,
            Err(err) => return format!("FAILED: {err}"),
        },
        None => (None, None),
    };
    match map.history(start.as_deref(), end.as_deref(), &strings(current)) {
        Ok(revisions) => ids(&revisions).join(" "),
        Err(err) => format!("FAILED: {err}"),
    }
}
