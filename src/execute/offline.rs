//! The offline sink: renders the executor's events as the text `alembic ... --sql`
//! prints, byte for byte. Never connects; never fails.
//!
//! Alembic's output is a sequence of chunks, each followed by a blank line: `BEGIN;` and
//! `COMMIT;` (transactional-DDL dialects only, PostgreSQL here), `-- Running <step>`, and
//! each statement with `;`. Statements go through Alembic's formatting: tabs become four
//! spaces and surrounding whitespace is stripped. Nothing precedes the first chunk, and
//! the text ends with the blank line after the last one (an empty plan on SQLite or MySQL
//! renders nothing).
//!
//! mig's own lines, which Alembic leaves to env.py, come first, before Alembic's first
//! chunk and in the same chunk form; without `search_path` or `version_table_schema` the
//! output is exactly Alembic's:
//!
//! ```text
//! CREATE SCHEMA IF NOT EXISTS <version_table_schema>;   (PostgreSQL, MySQL; only when
//!                                                        the version table is created)
//! SET search_path TO <search_path>;                     (PostgreSQL, whenever set)
//! ```
//!
//! Body statements are the splitter's text; where Alembic's `text()` would rewrite a
//! body (`:name` bind parameters, `\:`), mig renders the SQL as written.

use std::convert::Infallible;

use crate::config::ExecSettings;
use crate::dialect::Dialect;
use crate::revision::plan::Plan;

use super::error::ExecError;
use super::executor::Executor;
use super::lookup::Revisions;
use super::sink::{
    BodyStatement, CreateVersionTable, SetupStatement, Sink, StepEvent, VersionTablePolicy,
    VersionWrite,
};

/// Renders `--sql` text into a `String`.
#[derive(Debug, Clone)]
pub struct OfflineSink {
    dialect: Dialect,
    out: String,
}

impl OfflineSink {
    /// An empty rendering for `dialect`.
    pub fn new(dialect: Dialect) -> OfflineSink {
        OfflineSink {
            dialect,
            out: String::new(),
        }
    }

    /// The text rendered so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The rendered text.
    pub fn into_string(self) -> String {
        self.out
    }

    /// One chunk as Alembic's `static_output` writes it: the text and a blank line.
    fn chunk(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }

    /// One statement as Alembic's offline `_exec` writes it: tabs as four spaces,
    /// stripped, `;` and a blank line.
    fn statement(&mut self, sql: &str) {
        let stripped = strip_python(sql);
        if stripped.contains('\t') {
            // Stripping first is the same: tabs at either end are whitespace either way.
            self.out.push_str(&stripped.replace('\t', "    "));
        } else {
            self.out.push_str(stripped);
        }
        self.out.push_str(";\n\n");
    }
}

/// Python's `str.strip()`: Unicode whitespace plus the ASCII separators `\x1c`-`\x1f`,
/// which Rust's `trim` keeps.
fn strip_python(text: &str) -> &str {
    let python_space = |c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c);
    let ends_are_text = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    // Most statements start and end with a visible ASCII character: nothing to strip.
    if ends_are_text(text.as_bytes().first()) && ends_are_text(text.as_bytes().last()) {
        return text;
    }
    text.trim_matches(python_space)
}

impl Sink for OfflineSink {
    type Error = Infallible;

    fn version_table_policy(&self) -> VersionTablePolicy {
        VersionTablePolicy::BeforeStepFromBase
    }

    async fn setup(&mut self, statement: &SetupStatement<'_>) -> Result<(), Infallible> {
        self.statement(statement.sql);
        Ok(())
    }

    async fn create_version_table(
        &mut self,
        create: &CreateVersionTable<'_>,
    ) -> Result<(), Infallible> {
        self.statement(create.sql);
        Ok(())
    }

    async fn begin(&mut self) -> Result<(), Infallible> {
        if self.dialect.transactional_ddl() {
            self.chunk("BEGIN;");
        }
        Ok(())
    }

    async fn commit(&mut self) -> Result<(), Infallible> {
        if self.dialect.transactional_ddl() {
            self.chunk("COMMIT;");
        }
        Ok(())
    }

    async fn step_started(&mut self, step: &StepEvent<'_>) -> Result<(), Infallible> {
        self.out.push_str("-- Running ");
        step.write_short_log(&mut self.out);
        self.out.push_str("\n\n");
        Ok(())
    }

    async fn execute(&mut self, statement: &BodyStatement<'_>) -> Result<(), Infallible> {
        self.statement(statement.text);
        Ok(())
    }

    async fn version_write(&mut self, write: &VersionWrite<'_>) -> Result<(), Infallible> {
        self.statement(write.sql);
        Ok(())
    }

    async fn step_finished(&mut self, _step: &StepEvent<'_>) -> Result<(), Infallible> {
        Ok(())
    }

    async fn rollback(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Renders `plan` as `alembic ... --sql` would for `dialect` and `settings`.
pub async fn render_offline<R: Revisions + ?Sized>(
    dialect: Dialect,
    settings: &ExecSettings,
    plan: &Plan,
    revisions: &R,
) -> Result<String, ExecError<Infallible>> {
    let mut sink = OfflineSink::new(dialect);
    // A guess at the size (a short body and one version write per step), to spare the
    // output most of its regrowing on long plans.
    sink.out.reserve(plan.steps.len() * 256);
    Executor::new(dialect, settings)
        .run(plan, revisions, &mut sink)
        .await?;
    Ok(sink.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
