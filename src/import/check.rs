//! The equivalence check of a converted project: its `upgrade heads --sql` (through the
//! library's offline renderer) against Alembic's, both normalised, and its `heads` and
//! `history` against Alembic's output. Pure apart from rendering.
//!
//! Normalising: both texts are cut at Alembic's `-- Running` lines and each piece into
//! statements by mig's splitter; `BEGIN`, `COMMIT`, the version table's own statements
//! (`CREATE TABLE`, `INSERT`, `UPDATE`, `DELETE` on it) and mig's `CREATE SCHEMA` /
//! `SET search_path` are dropped (where a transaction ends and how the rows move is each
//! tool's business, and the compat tests hold mig to Alembic there); what is left, the
//! `-- Running` lines and every body statement in order, must be equal. The body of a
//! revision skipped with `--skip-failing` is not compared (Alembic cannot render it; mig
//! has a TODO there), its `-- Running` line is.

use serde::Serialize;

use crate::commands::{inspect, offline, Project};
use crate::dialect::Dialect;
use crate::sql;

use super::alembic::AlembicProject;

/// One comparison.
#[derive(Debug, Clone, Serialize)]
pub struct CheckItem {
    pub name: &'static str,
    pub ok: bool,
    /// Where they differ, when they do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Runs the three comparisons on the converted `project`.
pub async fn check(
    project: &Project,
    alembic: &AlembicProject,
    skipped: &[String],
) -> Vec<CheckItem> {
    let table = alembic
        .configured
        .version_table
        .clone()
        .unwrap_or_else(|| "alembic_version".into());
    let upgrade = match (
        &alembic.reference_upgrade.sql,
        offline::upgrade(project, "heads"),
    ) {
        (None, _) => Some(format!(
            "Alembic could not render `upgrade heads --sql`: {}",
            alembic
                .reference_upgrade
                .error
                .as_deref()
                .unwrap_or("no output")
        )),
        (_, Err(e)) => Some(format!("mig could not render `upgrade heads --sql`: {e}")),
        (Some(expected), Ok(actual)) => {
            let dialect = project.config.dialect().unwrap_or(Dialect::Postgresql);
            let expected = normalise(expected, dialect, &table, skipped);
            let actual = normalise(&actual, dialect, &table, skipped);
            first_difference(&expected, &actual)
        }
    };
    let heads = inspect::heads(&project.map, false, false, false);
    let history = inspect::history(
        &project.map,
        None,
        false,
        &[],
        inspect::HistoryNeeds::default(),
        false,
    )
    .unwrap_or_else(|e| e.printed());
    vec![
        item("upgrade heads --sql", upgrade),
        item(
            "heads",
            first_difference(&lines(&alembic.heads), &lines(&heads)),
        ),
        item(
            "history",
            first_difference(&lines(&alembic.history), &lines(&history)),
        ),
    ]
}

fn item(name: &'static str, detail: Option<String>) -> CheckItem {
    CheckItem {
        name,
        ok: detail.is_none(),
        detail,
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// What both tools must agree on, in order: each `-- Running` line, and the body
/// statements (mig's splitter, so one `op.execute("a; b")` chunk of Alembic's equals
/// mig's two statements) without the bookkeeping ones.
pub fn normalise(
    sql: &str,
    dialect: Dialect,
    version_table: &str,
    skipped: &[String],
) -> Vec<String> {
    let mut kept = Vec::new();
    let mut segment = String::new();
    let mut in_skipped = false;
    for line in sql.split_inclusive('\n') {
        if let Some(step) = line.strip_prefix("-- Running ") {
            flush(&mut segment, in_skipped, dialect, version_table, &mut kept);
            let step = step.trim_end_matches(['\n', '\r']);
            let target = step.rsplit_once("-> ").map_or("", |(_, to)| to.trim());
            in_skipped = skipped.iter().any(|id| id == target);
            kept.push(format!("-- Running {step}"));
        } else {
            segment.push_str(line);
        }
    }
    flush(&mut segment, in_skipped, dialect, version_table, &mut kept);
    kept
}

fn flush(segment: &mut String, skip: bool, dialect: Dialect, table: &str, kept: &mut Vec<String>) {
    if !skip {
        match sql::split_statements(segment, dialect) {
            Ok(statements) => kept.extend(
                statements
                    .iter()
                    .filter(|s| !bookkeeping(s.text, table))
                    .map(|s| s.text.to_string()),
            ),
            // Unsplittable text is compared as it is.
            Err(_) => kept.push(segment.trim().to_string()),
        }
    }
    segment.clear();
}

/// `BEGIN`, `COMMIT`, the version table's own statements, mig's schema and
/// `search_path` lines (statement text, without the `;`).
fn bookkeeping(statement: &str, table: &str) -> bool {
    let names = statement.contains(table);
    matches!(statement, "BEGIN" | "COMMIT")
        || statement.starts_with("CREATE SCHEMA IF NOT EXISTS ")
        || statement.starts_with("SET search_path TO ")
        || (names
            && statement.starts_with("CREATE TABLE ")
            && statement.contains("version_num VARCHAR(32)"))
        || (names
            && statement.starts_with("INSERT INTO ")
            && statement.contains("(version_num) VALUES"))
        || (names && statement.starts_with("UPDATE ") && statement.contains(" SET version_num="))
        || (names && statement.starts_with("DELETE FROM ") && statement.contains("version_num = "))
}

/// `None` when equal, else the first differing entry of each side.
fn first_difference(expected: &[String], actual: &[String]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let at = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let show = |side: &[String]| {
        side.get(at)
            .map_or("(nothing)".to_string(), |s| format!("`{s}`"))
    };
    Some(format!(
        "entry {}: Alembic has {}, mig has {}",
        at + 1,
        show(expected),
        show(actual)
    ))
}

#[cfg(test)]
mod tests;
