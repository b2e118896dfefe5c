//! The equivalence check of a converted project: its `upgrade heads --sql` (through the
//! library's offline renderer) against Alembic's, both normalised, and its `heads` and
//! `history` against Alembic's output. Pure apart from rendering.
//!
//! Normalising: both texts are cut into Alembic's chunks (each followed by a blank
//! line); `BEGIN;`, `COMMIT;`, the version table's own statements (`CREATE TABLE`,
//! `INSERT`, `UPDATE`, `DELETE` on it) and mig's `CREATE SCHEMA` / `SET search_path`
//! chunks are dropped (where a transaction ends and how the rows move is each tool's
//! business); what is left, the `-- Running` lines and every body statement in order,
//! must be equal. The body of a revision skipped with `--skip-failing` is not compared
//! (Alembic cannot render it; mig has a TODO there), its `-- Running` line is.

use serde::Serialize;

use crate::commands::{inspect, offline, Project};

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
        offline::upgrade(project, "heads").await,
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
            let expected = normalise(expected, &table, skipped);
            let actual = normalise(&actual.sql, &table, skipped);
            first_difference(&expected, &actual)
        }
    };
    let heads = inspect::heads(&project.map, false, false, false);
    let history = inspect::history(&project.map, None, false, &[], false)
        .unwrap_or_else(|e| format!("FAILED: {e}"));
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

/// The chunks both tools must agree on, in order.
pub fn normalise(sql: &str, version_table: &str, skipped: &[String]) -> Vec<String> {
    let mut kept = Vec::new();
    let mut in_skipped = false;
    for chunk in sql.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        if let Some(step) = chunk.strip_prefix("-- Running ") {
            let target = step.rsplit_once("-> ").map_or("", |(_, to)| to.trim());
            in_skipped = skipped.iter().any(|id| id == target);
            kept.push(chunk.to_string());
        } else if !in_skipped && !bookkeeping(chunk, version_table) {
            kept.push(chunk.to_string());
        }
    }
    kept
}

fn bookkeeping(chunk: &str, table: &str) -> bool {
    let names = chunk.contains(table);
    matches!(chunk, "BEGIN;" | "COMMIT;")
        || chunk.starts_with("CREATE SCHEMA IF NOT EXISTS ")
        || chunk.starts_with("SET search_path TO ")
        || (names
            && chunk.starts_with("CREATE TABLE ")
            && chunk.contains("version_num VARCHAR(32)"))
        || (names && chunk.starts_with("INSERT INTO ") && chunk.contains("(version_num) VALUES"))
        || (names && chunk.starts_with("UPDATE ") && chunk.contains(" SET version_num="))
        || (names && chunk.starts_with("DELETE FROM ") && chunk.contains("version_num = "))
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
mod tests {
    use super::*;

    #[test]
    fn version_table_chunks_and_transactions_are_dropped() {
        let sql = "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    \
                   CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n\
                   -- Running upgrade  -> a\n\nCREATE TABLE t (id int);\n\n\
                   INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING alembic_version.version_num;\n\n\
                   -- Running upgrade a -> b\n\nSELECT 1;\n\n\
                   UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';\n\nCOMMIT;\n\n";
        assert_eq!(
            normalise(sql, "alembic_version", &[]),
            vec![
                "-- Running upgrade  -> a",
                "CREATE TABLE t (id int);",
                "-- Running upgrade a -> b",
                "SELECT 1;"
            ]
        );
        assert_eq!(
            normalise(sql, "alembic_version", &["b".into()]),
            vec![
                "-- Running upgrade  -> a",
                "CREATE TABLE t (id int);",
                "-- Running upgrade a -> b"
            ]
        );
    }

    #[test]
    fn differences_name_the_first_entry() {
        let a = lines("x\ny\n");
        assert_eq!(first_difference(&a, &a), None);
        assert_eq!(
            first_difference(&a, &lines("x\nz")).as_deref(),
            Some("entry 2: Alembic has `y`, mig has `z`")
        );
        assert_eq!(
            first_difference(&a, &lines("x")).as_deref(),
            Some("entry 2: Alembic has `y`, mig has (nothing)")
        );
    }
}
