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
//!
//! The executor is async because the live sink waits on the database; this sink never
//! waits, so its run is complete after one poll, and rendering needs no async runtime
//! ([`now_or_never`]).

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::config::ExecSettings;
use crate::dialect::Dialect;
use crate::revision::plan::Plan;

use super::error::ExecError;
use super::executor::Executor;
use super::sink::{
    BodyStatement, CreateVersionTable, SetupStatement, Sink, StepEvent, VersionTablePolicy,
    VersionWrite,
};

/// Renders `--sql` text into a `String`.
#[derive(Debug, Clone)]
pub struct OfflineSink {
    dialect: Dialect,
    policy: VersionTablePolicy,
    out: String,
}

impl OfflineSink {
    /// An empty rendering for `dialect`.
    pub fn new(dialect: Dialect) -> OfflineSink {
        OfflineSink {
            dialect,
            policy: VersionTablePolicy::BeforeStepFromBase,
            out: String::new(),
        }
    }

    /// An empty rendering for `ensure-version --sql`: the version table is created at
    /// the start of a run from base, also when the plan has no step (as online).
    pub fn ensuring_version(dialect: Dialect) -> OfflineSink {
        OfflineSink {
            policy: VersionTablePolicy::AtStartIfMissing,
            ..OfflineSink::new(dialect)
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
        self.policy
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
pub fn render_offline(
    dialect: Dialect,
    settings: &ExecSettings,
    plan: &Plan<'_>,
) -> Result<String, ExecError<Infallible>> {
    let mut sink = OfflineSink::new(dialect);
    // A guess at the size (a short body and one version write per step), to spare the
    // output most of its regrowing on long plans.
    sink.out.reserve(plan.steps.len() * 256);
    render(dialect, settings, plan, sink)
}

/// Renders `ensure-version --sql`: the executor's run of an empty plan from base, which
/// creates the version table (after mig's schema and `search_path` lines) as the online
/// `ensure-version` does.
pub fn render_ensure_version(dialect: Dialect, settings: &ExecSettings) -> String {
    let sink = OfflineSink::ensuring_version(dialect);
    match render(dialect, settings, &Plan::default(), sink) {
        Ok(sql) => sql,
        // An empty plan has no body: nothing to refuse.
        Err(ExecError::Sink(failure)) => match failure.error {},
        Err(refused) => unreachable!("an empty plan was refused: {refused}"),
    }
}

fn render(
    dialect: Dialect,
    settings: &ExecSettings,
    plan: &Plan<'_>,
    mut sink: OfflineSink,
) -> Result<String, ExecError<Infallible>> {
    let executor = Executor::new(dialect, settings);
    now_or_never(executor.run(plan, &mut sink))
        .expect("the offline sink never waits, so one poll completes the run")?;
    Ok(sink.into_string())
}

/// Polls `fut` once: its output when it completed without waiting. A poll-once
/// executor for futures that never wait (no runtime, no wake-up needed).
fn now_or_never<F: Future>(fut: F) -> Option<F::Output> {
    match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests;
