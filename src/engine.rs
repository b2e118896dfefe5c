//! The online commands as library functions, for the CLI and for tests: `upgrade`,
//! `downgrade`, `stamp`, `ensure-version`, `current`, the checksum drift check and
//! `accept`. Each connects, takes the migration lock (unless `lock = false`), reads the
//! version table under it, asks the caller's planner for a plan from those heads, walks
//! the plan into a [`LiveSink`](crate::execute::LiveSink) and releases the lock, also on failure. Nothing here
//! parses arguments, prints, or knows the revision graph: plans come from the caller.
//!
//! Choices worth knowing:
//! - The planner is `FnMut(&[String]) -> Result<Plan, E>`: on SQLite, when another
//!   process moves the version table between two of this run's per-step transactions
//!   (SQLite has no session lock), the engine reads the heads again under the write lock
//!   and plans again from them, so concurrent runs each apply what is left and all
//!   succeed. Other backends plan exactly once.
//! - The dialect is the URL's; `[mig] dialect` only matters offline.
//! - `search_path` is set right after connecting with the statement the executor renders
//!   (the same text `--sql` shows), before the version table is read.
//! - A failed step's history row is written after the rollback, in its own statement,
//!   and only when the history table already existed: a failed first run leaves nothing
//!   behind, not even a history table.
//! - Drift is judged against each applied revision's latest successful `upgrade` or
//!   `accept` history row; revisions without one (applied by Alembic, or stamped) are
//!   never reported.

mod checksums;
mod error;
mod failure;
mod run;
pub(crate) mod session;

use std::convert::Infallible;

use crate::config::Config;
use crate::db::{read_state, HistoryRow, HistoryTable};
use crate::execute::{AppliedStep, Revisions};
use crate::revision::plan::Plan;
use crate::revision::Revision;
use crate::url::DatabaseUrl;

pub use checksums::{accept, drift, Drift};
pub use error::EngineError;
pub use failure::ApplyFailure;

use run::Run;
use session::Session;

/// What a successful run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The version table's rows before the run.
    pub start_heads: Vec<String>,
    /// Its rows after the run.
    pub end_heads: Vec<String>,
    /// The steps run, in order (with SQLite re-plans, from every plan in turn).
    pub steps: Vec<AppliedStep>,
}

/// `upgrade`: plans from the heads read under the lock with `plan`, and applies the plan.
pub async fn upgrade<R, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    revisions: &R,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    R: Revisions + ?Sized,
    F: FnMut(&[String]) -> Result<Plan, E>,
{
    migrate(config, url, revisions, false, plan).await
}

/// `downgrade`: as [`upgrade`]; the plan's steps say which way.
pub async fn downgrade<R, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    revisions: &R,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    R: Revisions + ?Sized,
    F: FnMut(&[String]) -> Result<Plan, E>,
{
    migrate(config, url, revisions, false, plan).await
}

/// `stamp`: version-table writes only. With `purge`, every row is deleted first (after
/// creating the table if missing) and `plan` is given no heads, as in Alembic.
pub async fn stamp<R, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    revisions: &R,
    purge: bool,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    R: Revisions + ?Sized,
    F: FnMut(&[String]) -> Result<Plan, E>,
{
    migrate(config, url, revisions, purge, plan).await
}

/// `ensure-version`: creates the version table's schema and the table if missing.
pub async fn ensure_version(config: &Config, url: &DatabaseUrl) -> Result<(), EngineError> {
    let none: &[Revision] = &[];
    migrate(config, url, none, false, |heads: &[String]| {
        Ok::<_, Infallible>(Plan {
            steps: Vec::new(),
            start_heads: heads.to_vec(),
            end_heads: heads.to_vec(),
        })
    })
    .await
    .map(|_| ())
}

/// `current`: the version table's rows (empty when it does not exist; never created).
pub async fn current(config: &Config, url: &DatabaseUrl) -> Result<Vec<String>, EngineError> {
    let mut session = Session::open(url, &config.exec).await?;
    let state = read_state(&mut session.conn, &config.exec.version_table).await;
    session.close().await;
    Ok(state?.heads)
}

/// The history table's rows, oldest first (empty when disabled or missing).
pub async fn history(config: &Config, url: &DatabaseUrl) -> Result<Vec<HistoryRow>, EngineError> {
    let mut session = Session::open(url, &config.exec).await?;
    let dialect = session.conn.dialect();
    let rows = match HistoryTable::new(dialect, &config.exec) {
        Some(table) => table.rows(&mut session.conn).await,
        None => Ok(Vec::new()),
    };
    session.close().await;
    Ok(rows?)
}

/// A run on a session the caller opened and locked (`reset`): plans from the heads read
/// on it with `planner` and applies the plan. With `in_transaction` (PostgreSQL), the
/// caller's open transaction carries the first step, so what the caller did before and
/// the whole plan commit or roll back together.
pub(crate) async fn apply_on<R, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    session: &mut Session,
    in_transaction: bool,
    revisions: &R,
    planner: F,
) -> Result<Outcome, EngineError<E>>
where
    R: Revisions + ?Sized,
    F: FnMut(&[String]) -> Result<Plan, E>,
{
    let run = Run {
        config,
        password: url.password(),
        search_path: session.search_path.clone(),
        purge: false,
        transaction_open: in_transaction,
    };
    run.apply(&mut session.conn, revisions, planner).await
}

/// Connect, lock, run, unlock, close.
async fn migrate<R, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    revisions: &R,
    purge: bool,
    planner: F,
) -> Result<Outcome, EngineError<E>>
where
    R: Revisions + ?Sized,
    F: FnMut(&[String]) -> Result<Plan, E>,
{
    let settings = &config.exec;
    let mut session = Session::open(url, settings).await?;
    let result = match session.lock(settings).await {
        Ok(lock) => {
            let run = Run {
                config,
                password: url.password(),
                search_path: session.search_path.clone(),
                purge,
                transaction_open: false,
            };
            let result = run.apply(&mut session.conn, revisions, planner).await;
            session.unlock(lock, result).await
        }
        Err(err) => Err(err.into()),
    };
    session.close().await;
    result
}
