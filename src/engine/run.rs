//! One locked run: read the version table (under SQLite's write lock), plan, walk the
//! plan into a [`LiveSink`], and on failure gather what the database looks like now and
//! record the failed step in the history table. SQLite runs plan again when another
//! process moved the version table between two of their transactions.

use sqlx::AssertSqlSafe;

use super::failure::{ApplyFailure, Gathered};
use super::{EngineError, Outcome};
use crate::config::Config;
use crate::db::history::{operator, HistoryTable};
use crate::db::{begin_immediate, read_state, schema_exists, Connection, DbError};
use crate::dialect::Dialect;
use crate::execute::{
    ExecError, Executor, FailedAt, LiveError, LiveSink, LiveStart, Revisions, Sink, SinkFailure,
    StepInProgress,
};
use crate::revision::plan::Plan;

/// How many times a SQLite run plans again after another process moved the version
/// table under it before giving up.
const MAX_REPLANS: usize = 1000;

/// One locked run.
pub(super) struct Run<'a> {
    pub config: &'a Config,
    pub password: Option<&'a str>,
    pub search_path: Option<String>,
    pub purge: bool,
    /// The caller opened a transaction the run continues (PostgreSQL `reset`): the
    /// first step runs in it, and the run's commit ends it.
    pub transaction_open: bool,
}

impl Run<'_> {
    pub async fn apply<R, F, E>(
        &self,
        conn: &mut Connection,
        revisions: &R,
        mut planner: F,
    ) -> Result<Outcome, EngineError<E>>
    where
        R: Revisions + ?Sized,
        F: FnMut(&[String]) -> Result<Plan, E>,
    {
        let settings = &self.config.exec;
        let dialect = conn.dialect();
        let history = HistoryTable::new(dialect, settings);
        let mut outcome = Outcome::default();
        let mut purge = self.purge;
        let mut attempt = 0;
        loop {
            // SQLite: the heads are read, and the first step runs, under the write lock.
            let sqlite = dialect == Dialect::Sqlite;
            if let Connection::Sqlite(lite) = &mut *conn {
                begin_immediate(lite).await?;
            }
            let start = match self.read_start(conn, history.as_ref(), purge).await {
                Ok(start) => start,
                Err(err) => {
                    rollback_quietly(conn, sqlite).await;
                    return Err(err.into());
                }
            };
            if attempt == 0 {
                outcome.start_heads = start.heads.clone();
            }
            let heads = if purge {
                Vec::new()
            } else {
                start.heads.clone()
            };
            let plan = match planner(&heads) {
                Ok(plan) => plan,
                Err(err) => {
                    rollback_quietly(conn, sqlite).await;
                    return Err(EngineError::Plan(err));
                }
            };
            let mut sink = LiveSink::new(conn, settings, start);
            let result = Executor::new(dialect, settings)
                .run(&plan, revisions, &mut sink)
                .await;
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
                    let history_exists = sink.history_table_committed();
                    drop(sink);
                    let failure = match failure {
                        Some(failure) => *failure,
                        None => {
                            let _ =
                                rollback_quietly(conn, sqlite || dialect.transactional_ddl()).await;
                            SinkFailure {
                                at: FailedAt::Commit,
                                progress: Default::default(),
                                error,
                            }
                        }
                    };
                    let explained = self
                        .explain(conn, &plan, &failure, failed_step.as_ref())
                        .await;
                    let explained = match (&history, failed_step, history_exists) {
                        (Some(table), Some(step), true) => {
                            record_failure(conn, table, &step, explained).await
                        }
                        _ => explained,
                    };
                    return Err(EngineError::Apply(Box::new(explained)));
                }
            }
        }
    }

    async fn read_start(
        &self,
        conn: &mut Connection,
        history: Option<&HistoryTable>,
        purge: bool,
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
            transaction_open: conn.dialect() == Dialect::Sqlite || self.transaction_open,
            purge,
            session_search_path: self.search_path.clone(),
            operator: operator(),
        })
    }

    async fn explain(
        &self,
        conn: &mut Connection,
        plan: &Plan,
        failure: &SinkFailure<LiveError>,
        failed_step: Option<&StepInProgress>,
    ) -> ApplyFailure {
        let heads_now = match read_state(conn, &self.config.exec.version_table).await {
            Ok(state) if state.exists => Some(state.heads),
            Ok(_) => None,
            Err(_) => Some(failure.progress.committed_heads.clone()),
        };
        let password = self.password;
        let scrub = move |text: &str| {
            let text = crate::url::redact_urls_in(text);
            match password {
                Some(password) => crate::url::redact(&text, &[password]),
                None => text,
            }
        };
        ApplyFailure::explain(&Gathered {
            dialect: conn.dialect(),
            plan,
            failure,
            failed_step,
            heads_now,
            scrub: &scrub,
        })
    }
}

/// Writes the failed step's history row in its own statement (its transaction was rolled
/// back); a failure to do so is added to the explanation.
async fn record_failure(
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
    let sql = table.insert_sql(&entry);
    let result = crate::on_connection!(&mut *conn, c => {
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
    });
    if let Err(err) = result {
        let _ = std::fmt::Write::write_fmt(
            &mut explained.message,
            format_args!(
                "\n(the failure could not be recorded in `{}`: {err})",
                table.qualified()
            ),
        );
    }
    explained
}

/// Ends a transaction the engine opened (SQLite) after a failure before the executor ran.
async fn rollback_quietly(conn: &mut Connection, open: bool) {
    if open {
        let _ = crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql("ROLLBACK").execute(c).await.map(|_| ())
        });
    }
}
