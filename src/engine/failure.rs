//! Explaining a failed run (SPEC section 6): the failing revision file with the line and
//! column of the failing statement, the statement shortened, the server's message, code,
//! detail and hint, and the state the database is in now - what the version table holds,
//! what was rolled back, what this run committed, and which statements ran outside a
//! transaction and stay applied. Pure formatting over what the engine gathered; every
//! text is scrubbed of the password before it is stored.

use std::fmt::{self, Write as _};

use crate::dialect::Dialect;
use crate::execute::{
    LiveError, Progress, RanStatement, ServerError, SinkFailure, StatementFailure, StepEvent,
    StepInProgress,
};
use crate::revision::plan::Plan;
use crate::sql::without_leading_comments;

/// Longest statement text shown in a failure, in characters.
const STATEMENT_CHARS: usize = 200;

/// A run that failed part-way, explained. `Display` is the whole explanation (several
/// lines); the fields carry the same facts for JSON output and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyFailure {
    /// The explanation, password scrubbed.
    pub message: String,
    /// The failing revision statement, when a body statement failed (texts scrubbed).
    pub statement: Option<StatementFailure>,
    /// The step that failed (`upgrade a -> b`), when the failure was inside a step.
    pub step: Option<String>,
    /// The version table's rows after the failure, read back (`None`: the table does not
    /// exist).
    pub heads_now: Option<Vec<String>>,
    /// Steps whose work was rolled back, the failed step last.
    pub rolled_back: Vec<String>,
    /// Steps of this run that were committed before the failure and stay applied.
    pub committed: Vec<String>,
    /// Statements of the failed step that completed outside a transaction (or on MySQL,
    /// where DDL commits implicitly) and stay applied.
    pub stays_applied: Vec<RanStatement>,
}

impl fmt::Display for ApplyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApplyFailure {}

/// What the engine gathered after the rollback.
pub(super) struct Gathered<'a> {
    pub dialect: Dialect,
    pub plan: &'a Plan<'a>,
    pub failure: &'a SinkFailure<LiveError>,
    pub failed_step: Option<&'a StepInProgress>,
    /// The version table read back after the rollback (`None`: it does not exist).
    pub heads_now: Option<Vec<String>>,
    /// MySQL with a history table: how many statements of the failed step this run
    /// committed (implicitly, at DDL), read back from its progress row.
    pub kept: Option<usize>,
    /// Strips the password from a text.
    pub scrub: &'a dyn Fn(&str) -> String,
}

impl ApplyFailure {
    pub(super) fn explain(gathered: &Gathered<'_>) -> ApplyFailure {
        let scrub = gathered.scrub;
        let progress: &Progress = &gathered.failure.progress;
        let step_log = |index: usize| {
            gathered.plan.steps.get(index).map(|step| {
                StepEvent {
                    index,
                    step,
                    outside_transaction: false,
                    statements: 0,
                }
                .short_log()
            })
        };
        let step = gathered
            .failed_step
            .map(|step| step.log.clone())
            .or_else(|| progress.failed_step.and_then(step_log));
        let statement = match &gathered.failure.error {
            LiveError::Statement(failure) => Some(scrub_statement(failure, scrub)),
            _ => None,
        };
        // The failed step's own work is rolled back unless it failed in a statement that
        // ran on its own, outside any transaction.
        let failed_outside = statement.as_ref().is_some_and(|s| !s.in_transaction)
            || gathered.kept.is_some_and(|kept| kept > 0);
        let mut rolled_back: Vec<String> = (progress.committed_steps..progress.completed_steps)
            .filter_map(step_log)
            .collect();
        if let (Some(step), false) = (&step, failed_outside) {
            rolled_back.push(step.clone());
        }
        let committed = (0..progress.committed_steps).filter_map(step_log).collect();
        let stays_applied = gathered
            .failed_step
            .map(|step| {
                step.ran
                    .iter()
                    .take(gathered.kept.unwrap_or(usize::MAX))
                    .filter(|ran| !ran.in_transaction || gathered.dialect == Dialect::Mysql)
                    .map(|ran| RanStatement {
                        statement: scrub(&ran.statement),
                        ..ran.clone()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut failure = ApplyFailure {
            message: String::new(),
            statement,
            step,
            heads_now: gathered.heads_now.clone(),
            rolled_back,
            committed,
            stays_applied,
        };
        failure.message = scrub(&failure.render(gathered));
        failure
    }

    fn render(&self, gathered: &Gathered<'_>) -> String {
        let mut out = String::new();
        let error = &gathered.failure.error;
        match (error, &self.statement) {
            (LiveError::Statement(_), Some(statement)) => {
                let _ = write!(
                    out,
                    "revision `{}` failed at `{}` line {}, column {}: {}",
                    statement.revision,
                    statement.path.display(),
                    statement.line,
                    statement.column,
                    statement.server
                );
                let _ = write!(
                    out,
                    "\n  statement: {}",
                    excerpt(&statement.statement, gathered.dialect)
                );
                if let Some((line, column)) = statement.error_at {
                    if (line, column) != (statement.line, statement.column) {
                        let _ =
                            write!(out, "\n  the server points at line {line}, column {column}");
                    }
                }
                server_notes(&mut out, &statement.server);
            }
            (
                LiveError::Bookkeeping {
                    action,
                    sql,
                    server,
                },
                _,
            ) => {
                let _ = write!(out, "{action} failed: {server}");
                if let Some(step) = &self.step {
                    let _ = write!(out, "\n  in step `{step}`");
                }
                let _ = write!(out, "\n  statement: {}", shorten(sql));
                server_notes(&mut out, server);
            }
            (other, _) => {
                let _ = write!(out, "{other}");
                if let Some(step) = &self.step {
                    let _ = write!(out, "\n  in step `{step}`");
                }
            }
        }

        out.push_str("\nthe database now: ");
        match &self.heads_now {
            None => out.push_str("the version table does not exist"),
            Some(heads) if heads.is_empty() => out.push_str("the version table holds no revision"),
            Some(heads) => {
                let _ = write!(out, "the version table holds {}", ticked(heads));
            }
        }
        if self.rolled_back.is_empty() {
            out.push_str("; nothing was rolled back");
        } else {
            let _ = write!(out, "; rolled back: {}", ticked(&self.rolled_back));
        }
        if !self.committed.is_empty() {
            let _ = write!(
                out,
                "; committed before the failure: {}",
                ticked(&self.committed)
            );
        }
        if let Some(rollback) = &gathered.failure.progress.rollback_error {
            let _ = write!(out, "; rolling back failed too: {rollback}");
        }
        if !self.stays_applied.is_empty() {
            let why = if gathered.kept.is_some() {
                "statements of the failed step that already ran and stay applied (MySQL \
                 commits implicitly at each DDL statement)"
            } else if gathered.dialect == Dialect::Mysql {
                "statements of the failed step that already ran (MySQL commits DDL \
                 implicitly, so these stay applied unless they were plain DML)"
            } else {
                "statements of the failed step that already ran outside a transaction and \
                 stay applied"
            };
            let _ = write!(out, "\n{why}:");
            for ran in &self.stays_applied {
                let _ = write!(
                    out,
                    "\n  line {}, column {}: {}",
                    ran.line,
                    ran.column,
                    excerpt(&ran.statement, gathered.dialect)
                );
            }
        }
        out
    }
}

fn scrub_statement(failure: &StatementFailure, scrub: &dyn Fn(&str) -> String) -> StatementFailure {
    let server = &failure.server;
    StatementFailure {
        statement: scrub(&failure.statement),
        server: ServerError {
            message: scrub(&server.message),
            detail: server.detail.as_deref().map(scrub),
            hint: server.hint.as_deref().map(scrub),
            ..server.clone()
        },
        ..failure.clone()
    }
}

fn server_notes(out: &mut String, server: &ServerError) {
    if let Some(detail) = &server.detail {
        let _ = write!(out, "\n  detail: {detail}");
    }
    if let Some(hint) = &server.hint {
        let _ = write!(out, "\n  hint: {hint}");
    }
}

fn ticked(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A revision statement for a message: from its first token (the comments before it
/// left out), shortened.
fn excerpt(statement: &str, dialect: Dialect) -> String {
    shorten(without_leading_comments(statement, dialect))
}

/// The statement on one line (whitespace runs collapsed), at most 200 characters; ` ...`
/// marks text left out.
pub(super) fn shorten(statement: &str) -> String {
    let flat = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(STATEMENT_CHARS) {
        Some((cut, _)) => format!("{} ...", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests;
