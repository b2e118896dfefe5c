//! One locked run: read the version table (under SQLite's write lock, or a transaction
//! pooler's transaction-level lock), plan, walk the plan into a [`LiveSink`], and on
//! failure gather what the database looks like now and record the failed step in the
//! history table (creating it when the rolled-back transaction took it along). SQLite
//! runs (and runs through a transaction pooler) plan again when another process moved
//! the version table between two of their transactions. Interrupted steps are read and
//! judged (refuse, resume) by [`super::unfinished`] before the plan runs.

use sqlx::AssertSqlSafe;

use super::checksums::read_drift;
use super::failure::{ApplyFailure, Gathered};
use super::unfinished::{self, Unfinished};
use super::{DriftCheck, EngineError, Outcome};
use crate::config::Config;
use crate::db::history::{operator, HistoryTable, InterruptedStep};
use crate::db::pooler::begin_local;
use crate::db::PooledBegin;
use crate::db::{begin_immediate, read_state, schema_exists, Connection, DbError};
use crate::dialect::Dialect;
use crate::execute::{
    ExecError, Executor, FailedAt, Interrupt, LiveError, LiveSink, LiveStart, Sink, SinkFailure,
    StepInProgress,
};
use crate::revision::graph::RevisionMap;
use crate::revision::plan::{Plan, StepKind};
use crate::revision::TransactionMode;
use crate::url::Secret;

/// How many times a SQLite run plans again after another process moved the version
/// table under it before giving up.
const MAX_REPLANS: usize = 1000;

/// One locked run.
pub(super) struct Run<'a> {
    pub config: &'a Config,
    /// The URL's password, scrubbed from failure texts.
    pub password: Option<&'a Secret>,
    pub search_path: Option<String>,
    pub purge: bool,
    pub unfinished: Unfinished,
    pub interrupt: &'a Interrupt,
    /// Through a transaction pooler: how each transaction begins (settings, lock).
    pub pooled: Option<PooledBegin>,
    /// The caller opened a transaction the run continues (PostgreSQL `reset`): the
    /// first step runs in it, and the run's commit ends it.
    pub transaction_open: bool,
}

impl Run<'_> {
    pub async fn apply<'p, F, E>(
        &self,
        conn: &mut Connection,
        map: &RevisionMap,
        mut check: Option<DriftCheck<'_, '_, E>>,
        mut planner: F,
    ) -> Result<Outcome, EngineError<E>>
    where
        F: FnMut(&[String]) -> Result<Plan<'p>, E>,
    {
        let settings = &self.config.exec;
        let dialect = conn.dialect();
        let history = HistoryTable::new(dialect, settings);
        let mut outcome = Outcome::default();
        let mut purge = self.purge;
        let mut attempt = 0;
        loop {
            // SQLite: the heads are read, and the first step runs, under the write lock.
            // Through a transaction pooler: the same, under the transaction-level lock.
            // `opened`: the engine opened the first transaction itself.
            let opened = dialect == Dialect::Sqlite || self.pooled.is_some();
            let begun = match (&mut *conn, &self.pooled) {
                (Connection::Sqlite(lite), _) => begin_immediate(lite).await,
                (Connection::Postgres(pg), Some(pooled)) => pooled.begin(pg).await,
                _ => Ok(()),
            };
            let start = match begun {
                Ok(()) => self.read_start(conn, history.as_ref(), purge, opened).await,
                Err(err) => Err(err),
            };
            let start = match start {
                Ok(start) => start,
                Err(err) => {
                    rollback_quietly(conn, opened).await;
                    return Err(err.into());
                }
            };
            let interrupted = if attempt == 0 {
                outcome.start_heads = start.heads.clone();
                match unfinished::read(conn, history.as_ref(), true).await {
                    Ok(found) => found,
                    Err(err) => {
                        rollback_quietly(conn, opened).await;
                        return Err(err.into());
                    }
                }
            } else {
                Vec::new()
            };
            // The drift check reads what the lock protects, before the first plan.
            if let Some(check) = check.take() {
                let judged = match read_drift(conn, self.config, &start.heads, check.applied).await
                {
                    Ok(found) if found.is_empty() => Ok(()),
                    Ok(found) => (check.judge)(found).map_err(EngineError::Plan),
                    Err(err) => Err(err),
                };
                if let Err(err) = judged {
                    rollback_quietly(conn, opened).await;
                    return Err(err);
                }
            }
            let heads = if purge {
                Vec::new()
            } else {
                start.heads.clone()
            };
            let plan = match planner(&heads) {
                Ok(plan) => plan,
                Err(err) => {
                    rollback_quietly(conn, opened).await;
                    return Err(EngineError::Plan(err));
                }
            };
            if self.pooled.is_some() {
                if let Some(refused) = non_transactional(&plan) {
                    rollback_quietly(conn, opened).await;
                    return Err(refused);
                }
            }
            let resume = match unfinished::decide(
                &self.config.here,
                self.unfinished,
                &interrupted,
                &plan,
                map,
                &heads,
            ) {
                Ok(resume) => resume,
                Err(refusal) => {
                    rollback_quietly(conn, opened).await;
                    return Err(EngineError::Unfinished(refusal));
                }
            };
            let mut sink = LiveSink::new(conn, settings, start)
                .resume(resume)
                .interrupt(Some(self.interrupt.clone()));
            let result = Executor::new(dialect, settings).run(&plan, &mut sink).await;
            outcome.steps.extend(sink.applied().iter().cloned());
            let result = match result {
                Ok(_) => sink.finish().await.map_err(|error| (error, None)),
                Err(ExecError::Sink(failure)) => Err((failure.error.clone(), Some(failure))),
                Err(refused) => {
                    let _ = sink.rollback().await;
                    return Err(EngineError::Refused(Box::new(refused)));
                }
            };
            match result {
                Ok(()) => {
                    outcome.end_heads = sink.committed_heads().to_vec();
                    return Ok(outcome);
                }
                Err((LiveError::Conflict { .. }, _)) if attempt < MAX_REPLANS => {
                    tracing::debug!(target: "mig", "the version table moved under this run; planning again");
                    purge = false;
                    attempt += 1;
                    continue;
                }
                Err((error, failure)) => {
                    let failed_step = sink.failed_step().cloned();
                    drop(sink);
                    let failure = match failure {
                        Some(failure) => *failure,
                        None => {
                            let _ =
                                rollback_quietly(conn, opened || dialect.transactional_ddl()).await;
                            SinkFailure {
                                at: FailedAt::Commit,
                                progress: Default::default(),
                                error,
                            }
                        }
                    };
                    // Through a transaction pooler the look and the failure row are one
                    // more transaction, with its `search_path`.
                    let pooled = match (&self.pooled, &mut *conn) {
                        (Some(pooled), Connection::Postgres(pg)) => {
                            begin_local(pg, pooled.search_path.as_ref()).await.is_ok()
                        }
                        _ => false,
                    };
                    let kept = match (dialect, &history, failed_step.as_ref()) {
                        (Dialect::Mysql, Some(table), Some(step)) => {
                            Some(mysql_kept(conn, table, step, &interrupted).await)
                        }
                        _ => None,
                    };
                    let explained = self
                        .explain(conn, &plan, &failure, failed_step.as_ref(), kept)
                        .await;
                    let mut explained = match (&history, failed_step.as_ref()) {
                        (Some(table), Some(step)) => {
                            self.record_failure(conn, table, step, explained).await
                        }
                        _ => explained,
                    };
                    if let (true, Connection::Postgres(pg)) = (pooled, &mut *conn) {
                        let _ = crate::db::pooler::commit(pg).await;
                    }
                    if let (Some(_), Some(step), false) =
                        (&history, &failed_step, explained.stays_applied.is_empty())
                    {
                        explained.message.push_str(&unfinished::failure_note(step));
                    }
                    return Err(match self.interrupt.code() {
                        Some(code) => EngineError::Signal {
                            code,
                            failure: Some(Box::new(explained)),
                        },
                        None => EngineError::Apply(Box::new(explained)),
                    });
                }
            }
        }
    }

    async fn read_start(
        &self,
        conn: &mut Connection,
        history: Option<&HistoryTable>,
        purge: bool,
        transaction_open: bool,
    ) -> Result<LiveStart, DbError> {
        let table = &self.config.exec.version_table;
        let state = read_state(conn, table).await?;
        let schema_exists = match &table.schema {
            Some(_) if state.exists => true,
            Some(schema) => schema_exists(conn, schema).await?,
            None => true,
        };
        let history_table_exists = match history {
            Some(table) => table.exists(conn).await?,
            None => false,
        };
        Ok(LiveStart {
            heads: state.heads,
            version_table_exists: state.exists,
            schema_exists,
            history_table_exists,
            transaction_open: transaction_open || self.transaction_open,
            purge,
            session_search_path: self.search_path.clone(),
            operator: operator(),
            pooled: self.pooled.clone(),
        })
    }

    async fn explain(
        &self,
        conn: &mut Connection,
        plan: &Plan<'_>,
        failure: &SinkFailure<LiveError>,
        failed_step: Option<&StepInProgress>,
        kept: Option<usize>,
    ) -> ApplyFailure {
        let heads_now = match read_state(conn, &self.config.exec.version_table).await {
            Ok(state) if state.exists => Some(state.heads),
            Ok(_) => None,
            Err(_) => Some(failure.progress.committed_heads.clone()),
        };
        let secrets = self.password.map(Secret::expose);
        let scrub = |text: &str| crate::url::redact(text, secrets.as_slice());
        ApplyFailure::explain(&Gathered {
            dialect: conn.dialect(),
            plan,
            failure,
            failed_step,
            heads_now,
            kept,
            scrub: &scrub,
        })
    }
}

/// MySQL: how many statements of the failed step this run committed, read back after the
/// rollback. DDL commits implicitly (and what follows it autocommits), so the step's
/// progress row, written in the same transaction, survives the rollback exactly when its
/// statements do, and says how many; a step that ran only DML before failing is rolled
/// back whole, progress row and all. `before`: the interrupted steps read before the run
/// (a resumed step's row already counted the statements the earlier run applied).
async fn mysql_kept(
    conn: &mut Connection,
    table: &HistoryTable,
    step: &StepInProgress,
    before: &[InterruptedStep],
) -> usize {
    let revision = step.revision.as_deref().unwrap_or_default();
    let direction = match step.kind {
        StepKind::Upgrade => "upgrade",
        StepKind::Downgrade => "downgrade",
        StepKind::Stamp => "stamp",
    };
    let done = |steps: &[InterruptedStep]| {
        steps
            .iter()
            .find(|s| s.revision == revision && s.direction == direction)
            .map_or(0, |s| usize::try_from(s.progress.done).unwrap_or(0))
    };
    match table.interrupted(conn).await {
        Ok(after) => done(&after).saturating_sub(done(before)),
        // Cannot tell: every statement that ran may have committed.
        Err(_) => step.ran.len(),
    }
}

impl Run<'_> {
    /// Writes the failed step's history row in its own statement (its transaction was
    /// rolled back), creating the history table (and its schema) first when the rollback
    /// took them along; a failure to do so is added to the explanation.
    async fn record_failure(
        &self,
        conn: &mut Connection,
        table: &HistoryTable,
        step: &StepInProgress,
        mut explained: ApplyFailure,
    ) -> ApplyFailure {
        let first_line = explained
            .message
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let entry = step.history_entry(&operator(), step.elapsed(), Some(first_line));
        let statements = match table.write_sql(conn, &entry).await {
            Ok(statements) => statements,
            Err(err) => {
                note_unrecorded(&mut explained, table, &err.to_string());
                return explained;
            }
        };
        for sql in statements {
            let result = crate::on_connection!(&mut *conn, c => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
            });
            if let Err(err) = result {
                note_unrecorded(&mut explained, table, &err.to_string());
                break;
            }
        }
        explained
    }
}

fn note_unrecorded(explained: &mut ApplyFailure, table: &HistoryTable, err: &str) {
    let _ = std::fmt::Write::write_fmt(
        &mut explained.message,
        format_args!(
            "\n(the failure could not be recorded in `{}`: {err})",
            table.qualified()
        ),
    );
}

/// Through a transaction pooler, a plan with a `Transaction: none` revision is refused
/// before anything runs: nothing can hold the lock across its statements there.
fn non_transactional<E>(plan: &Plan<'_>) -> Option<EngineError<E>> {
    plan.steps
        .iter()
        .filter_map(|step| step.revision())
        .find(|revision| revision.transaction == TransactionMode::None)
        .map(|revision| EngineError::PoolerNonTransactional {
            revision: revision.id.clone(),
            path: revision.path.clone(),
        })
}

/// Ends a transaction the engine opened (SQLite) after a failure before the executor ran.
async fn rollback_quietly(conn: &mut Connection, open: bool) {
    if open {
        let _ = crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql("ROLLBACK").execute(c).await.map(|_| ())
        });
    }
}
