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

    /// One statement as Alembic's offline `_exec` writes it.
    fn statement(&mut self, sql: &str) {
        let formatted = sql.replace('\t', "    ");
        self.chunk(&format!("{};", strip_python(&formatted)));
    }
}

/// Python's `str.strip()`: Unicode whitespace plus the ASCII separators `\x1c`-`\x1f`,
/// which Rust's `trim` keeps.
fn strip_python(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
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
        self.chunk(&format!("-- Running {}", step.short_log()));
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
    Executor::new(dialect, settings)
        .run(plan, revisions, &mut sink)
        .await?;
    Ok(sink.into_string())
}
