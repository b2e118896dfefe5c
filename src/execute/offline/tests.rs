//! The offline sink's own formatting, and the offline renderer against real Alembic:
//! every expected text in [`steps`], [`version_table`] and [`bodies`] is a file written by
//! `tests/fixtures/alembic/regen.py` from `alembic ... --sql` (Alembic 1.20.1). The plans
//! are built by hand, as the revision graph would compute them for the case's command.

mod bodies;
mod steps;
mod version_table;

use std::path::Path;

use super::*;
use crate::config::VersionTable;

#[test]
fn statements_strip_and_expand_tabs_like_python() {
    let mut sink = OfflineSink::new(Dialect::Sqlite);
    for sql in [
        "SELECT 1",
        "\tSELECT\t1\t",
        "\x1cSELECT 1\x1f",
        "\u{a0}SELECT 'é'\u{3000}",
        "SELECT 'é'",
        " \x0b",
    ] {
        sink.statement(sql);
    }
    assert_eq!(
        sink.as_str(),
        "SELECT 1;\n\nSELECT    1;\n\nSELECT 1;\n\nSELECT 'é';\n\nSELECT 'é';\n\n;\n\n"
    );
}

const DIALECTS: [Dialect; 3] = [Dialect::Postgresql, Dialect::Sqlite, Dialect::Mysql];

fn fixture(case: &str, dialect: Dialect) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/alembic")
        .join(case)
        .join(format!("{}.sql", dialect.name()));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture `{}`: {e}", path.display()))
}

async fn render(dialect: Dialect, settings: &ExecSettings, plan: &Plan<'_>) -> String {
    render_offline(dialect, settings, plan).unwrap_or_else(|e| panic!("rendering failed: {e}"))
}

/// Renders `plan` for every dialect and compares with Alembic's output for `case`.
async fn assert_like_alembic(case: &str, settings: &ExecSettings, plan: &Plan<'_>) {
    assert_like_alembic_after(case, |_| String::new(), settings, plan).await;
}

/// Like [`assert_like_alembic`], with mig's own lines (`prefix` per dialect) before
/// Alembic's output.
async fn assert_like_alembic_after(
    case: &str,
    prefix: impl Fn(Dialect) -> String,
    settings: &ExecSettings,
    plan: &Plan<'_>,
) {
    for dialect in DIALECTS {
        let rendered = render(dialect, settings, plan).await;
        assert_eq!(
            rendered,
            format!("{}{}", prefix(dialect), fixture(case, dialect)),
            "`{case}` on {} differs from Alembic",
            dialect.name()
        );
    }
}

/// `CREATE SCHEMA IF NOT EXISTS <schema>;` where mig renders it (not SQLite).
fn create_schema(quoted: &'static str) -> impl Fn(Dialect) -> String {
    move |dialect| match dialect {
        Dialect::Sqlite => String::new(),
        _ => format!(
            "CREATE SCHEMA IF NOT EXISTS {};\n\n",
            quoted.replace(
                '"',
                match dialect {
                    Dialect::Mysql => "`",
                    _ => "\"",
                }
            )
        ),
    }
}

fn settings(table: &str, schema: Option<&str>, pk: bool, per_migration: bool) -> ExecSettings {
    ExecSettings {
        version_table: VersionTable {
            table: table.into(),
            schema: schema.map(Into::into),
            pk,
        },
        transaction_per_migration: per_migration,
        ..ExecSettings::default()
    }
}
