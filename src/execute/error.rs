//! Executor errors: refused plans (before anything runs) and sink failures, which carry
//! the progress made so far. Formatting only; no recovery logic.

use std::fmt;
use std::path::PathBuf;

use super::sink::SetupKind;

/// Why a plan was not (fully) executed.
#[derive(Debug, thiserror::Error)]
pub enum ExecError<E> {
    /// A downgrade through a revision marked irreversible. Nothing ran.
    #[error(
        "revision `{revision}` cannot be downgraded: its downgrade is marked irreversible \
         (`{}`, line {line})",
        path.display()
    )]
    Irreversible {
        revision: String,
        path: PathBuf,
        line: usize,
    },
    /// A body section the splitter refused. Nothing ran.
    #[error(
        "cannot split the {section} section of revision `{revision}` (`{}`, line {line}, \
         column {column}): {message}",
        path.display()
    )]
    Split {
        revision: String,
        section: &'static str,
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The sink failed part-way.
    #[error(transparent)]
    Sink(Box<SinkFailure<E>>),
}

impl<E> ExecError<E> {
    /// The progress made before a sink failure (`None` when the plan was refused and
    /// nothing ran).
    pub fn progress(&self) -> Option<&Progress> {
        match self {
            ExecError::Sink(failure) => Some(&failure.progress),
            _ => None,
        }
    }
}

/// A sink failure: where it happened, what had completed, and the sink's error.
#[derive(Debug)]
pub struct SinkFailure<E> {
    pub at: FailedAt,
    pub progress: Progress,
    pub error: E,
}

impl<E: fmt::Display> fmt::Display for SinkFailure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.at, self.error, self.progress)
    }
}

impl<E: std::error::Error> std::error::Error for SinkFailure<E> {}

/// Where a sink failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailedAt {
    Setup(SetupKind),
    CreateVersionTable,
    Begin,
    Commit,
    /// Announcing a step (`upgrade a -> b`).
    StepStart {
        step: String,
    },
    /// A body statement.
    Statement {
        revision: String,
        path: PathBuf,
        line: usize,
        column: usize,
        /// The statement's first line, shortened.
        statement: String,
    },
    /// A version-table write of a step.
    VersionWrite {
        step: String,
        sql: String,
    },
    /// Finishing a step (`upgrade a -> b`).
    StepFinish {
        step: String,
    },
    Rollback,
}

impl fmt::Display for FailedAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailedAt::Setup(SetupKind::CreateSchema) => f.write_str("creating the schema failed"),
            FailedAt::Setup(SetupKind::SearchPath) => f.write_str("setting search_path failed"),
            FailedAt::CreateVersionTable => f.write_str("creating the version table failed"),
            FailedAt::Begin => f.write_str("beginning a transaction failed"),
            FailedAt::Commit => f.write_str("committing failed"),
            FailedAt::StepStart { step } | FailedAt::StepFinish { step } => {
                write!(f, "`{step}` failed")
            }
            FailedAt::Statement {
                revision,
                path,
                line,
                column,
                statement,
            } => write!(
                f,
                "revision `{revision}` failed at `{}` line {line}, column {column} (`{statement}`)",
                path.display()
            ),
            FailedAt::VersionWrite { step, sql } => {
                write!(f, "`{step}` failed writing the version table (`{sql}`)")
            }
            FailedAt::Rollback => f.write_str("rolling back failed"),
        }
    }
}

/// How far a run got before it failed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Steps in the plan.
    pub total_steps: usize,
    /// Steps whose body and version-table writes completed, counted from the first.
    pub completed_steps: usize,
    /// Of those, how many were committed and stay applied after the failure.
    pub committed_steps: usize,
    /// The heads the version table holds as of the last commit.
    pub committed_heads: Vec<String>,
    /// The step that failed, when the failure happened inside one.
    pub failed_step: Option<usize>,
    /// Statements of the failed step that completed before the failure.
    pub statements_done: usize,
    /// Whether those statements ran outside a transaction (`Transaction: none`), so
    /// they stay applied.
    pub outside_transaction: bool,
    /// The sink's error from the rollback after the failure, if that failed too.
    pub rollback_error: Option<String>,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} steps completed, {} committed",
            self.completed_steps, self.total_steps, self.committed_steps
        )?;
        if self.committed_heads.is_empty() {
            f.write_str("; version table: no revision recorded")?;
        } else {
            let heads: Vec<String> = self
                .committed_heads
                .iter()
                .map(|h| format!("`{h}`"))
                .collect();
            write!(f, "; version table: {}", heads.join(", "))?;
        }
        if self.outside_transaction && self.statements_done > 0 {
            write!(
                f,
                "; {} statement(s) of the failed step ran outside a transaction and stay applied",
                self.statements_done
            )?;
        }
        if let Some(error) = &self.rollback_error {
            write!(f, "; rollback also failed: {error}")?;
        }
        Ok(())
    }
}

/// The first line of a statement that is not a comment, at most 60 characters, for
/// error messages; ` ...` marks text left out.
pub(crate) fn shorten(statement: &str) -> String {
    const MAX: usize = 60;
    let lines: Vec<&str> = statement.lines().map(str::trim).collect();
    let code = lines
        .iter()
        .position(|line| !line.is_empty() && !line.starts_with("--"))
        .unwrap_or(0);
    let line = lines.get(code).copied().unwrap_or_default();
    let more = lines.iter().skip(code + 1).any(|line| !line.is_empty());
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{} ...", &line[..cut]),
        None if more => format!("{line} ..."),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests;
