//! The online commands as library functions, for the CLI and for tests: `upgrade`,
//! `downgrade`, `stamp`, `ensure-version`, `current`, the checksum drift check and
//! `accept`. Each connects, takes the migration lock (unless `lock = false`), reads the
//! version table under it, asks the caller's planner for a plan from those heads, walks
//! the plan into a [`LiveSink`](crate::execute::LiveSink) and releases the lock, also on failure. Nothing here
//! parses arguments, prints, or walks the revision graph: plans come from the caller
//! (each step holds its revision), and the project's [`RevisionMap`] is only read to
//! name the file of an interrupted step.
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
//! - A failed step's history row is written after the rollback, in its own statement;
//!   when the rollback took the history table along (a failed first run), it is created
//!   again for that row (SPEC section 13).
//! - Interrupted steps (a `Transaction: none` step, or a MySQL step, that stopped
//!   part-way; see [`unfinished`]) stop `upgrade` and `downgrade` until
//!   [`resume`] continues or [`resolve()`] records a manual repair.
//! - Signals: every function here watches [`Interrupt::process`]; once it is raised the
//!   running statement is cancelled on the server (a second connection), the transaction
//!   rolled back and the lock released, and the error is [`EngineError::Signal`] with
//!   the state of the database. Through a transaction pooler no cancel request is sent
//!   (the server backend is not this session's to name); the dropped connection ends it.
//! - Through a transaction-mode pooler (`[mig] pooler`, detected when `auto`) there is
//!   no session lock: each transaction takes the lock itself (`pg_advisory_xact_lock`,
//!   same key) and reads the version table under it, like SQLite's per-step write lock,
//!   and `Transaction: none` revisions are refused before anything runs.
//! - Drift is judged against each applied revision's latest successful `upgrade` or
//!   `accept` history row; revisions without one (applied by Alembic, or stamped) are
//!   never reported. `upgrade`'s own check ([`upgrade_checked`]) runs on the upgrade's
//!   session under its lock, before it plans: one connection per command.

mod cancel;
pub mod checksums;
mod error;
mod failure;
mod kept;
mod resolve;
mod run;
pub(crate) mod session;
pub mod status;
pub mod unfinished;

use crate::config::Config;
use crate::db::{HistoryRow, HistoryTable, Pooler};
use crate::execute::{AppliedStep, Interrupt};
use crate::revision::graph::RevisionMap;
use crate::revision::plan::Plan;
use crate::revision::Revision;
use crate::url::DatabaseUrl;

pub use checksums::{accept, Drift};
pub use error::EngineError;
pub use failure::ApplyFailure;
pub use kept::{KeptSession, Reset};
pub use resolve::{resolve, Resolution};
pub use unfinished::{Interrupted, Unfinished};

use cancel::or_interrupted;
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
/// `map` is the project's revisions, for naming an interrupted step's file.
pub async fn upgrade<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    migrate(config, url, map, false, Unfinished::Refuse, None, plan).await
}

/// `upgrade --resume`: as [`upgrade`], continuing the interrupted step (after checking
/// that the database still matches what its run recorded) at its next statement.
pub async fn resume<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    migrate(config, url, map, false, Unfinished::Resume, None, plan).await
}

/// Turns heads into the revisions applied at them (base up to the heads).
pub type AppliedAt<'a, 'r, E> = dyn Fn(&[String]) -> Result<Vec<&'r Revision>, E> + Sync + 'a;

/// The checksum drift check an `upgrade` runs first, on its own session under its lock,
/// before it plans (so what it judges is what the run starts from).
pub struct DriftCheck<'c, 'r, E> {
    /// The applied revisions at the heads read under the lock.
    pub applied: &'c AppliedAt<'c, 'r, E>,
    /// Told the drifted revisions, when there are any; an error refuses the run
    /// ([`EngineError::Plan`]) before anything runs.
    pub judge: &'c mut (dyn FnMut(Vec<Drift>) -> Result<(), E> + Send),
}

/// [`upgrade`] (or with [`Unfinished::Resume`], [`resume`]) with the drift `check` run
/// first on the same session, under the same lock.
pub async fn upgrade_checked<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    unfinished: Unfinished,
    check: DriftCheck<'_, '_, E>,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    migrate(config, url, map, false, unfinished, Some(check), plan).await
}

/// `downgrade`: as [`upgrade`]; the plan's steps say which way.
pub async fn downgrade<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    migrate(config, url, map, false, Unfinished::Refuse, None, plan).await
}

/// `stamp`: version-table writes only. With `purge`, every row is deleted first (after
/// creating the table if missing) and `plan` is given no heads, as in Alembic.
pub async fn stamp<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    purge: bool,
    plan: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    migrate(config, url, map, purge, Unfinished::Ignore, None, plan).await
}

/// `ensure-version`: creates the version table's schema and the table if missing.
pub async fn ensure_version(config: &Config, url: &DatabaseUrl) -> Result<(), EngineError> {
    migrate(
        config,
        url,
        &RevisionMap::default(),
        false,
        Unfinished::Ignore,
        None,
        kept::stay,
    )
    .await
    .map(|_| ())
}

/// `current`: the version table's rows (empty when it does not exist; never created).
pub async fn current(config: &Config, url: &DatabaseUrl) -> Result<Vec<String>, EngineError> {
    let mut session = KeptSession::once(config, url).await?;
    let heads = session.current(config).await;
    session.close().await;
    heads
}

/// Whether `url` goes through a transaction-mode pooler (`[mig] pooler`, detected when
/// `auto`), for `status` and `doctor` to print ([`Pooler::describe`]).
pub async fn pooler(config: &Config, url: &DatabaseUrl) -> Result<Pooler, EngineError> {
    let session = Session::open(url, &config.exec).await?;
    let pooler = session.pooler;
    session.close().await;
    Ok(pooler)
}

/// The history table's rows, oldest first (empty when disabled or missing).
pub async fn history(config: &Config, url: &DatabaseUrl) -> Result<Vec<HistoryRow>, EngineError> {
    or_interrupted(
        async {
            let mut session = Session::open(url, &config.exec).await?;
            let dialect = session.conn.dialect();
            let rows = match (
                HistoryTable::new(dialect, &config.exec),
                session.begin_read(&config.exec).await,
            ) {
                (_, Err(err)) => Err(err),
                (Some(table), Ok(())) => table.rows(&mut session.conn).await,
                (None, Ok(())) => Ok(Vec::new()),
            };
            let ended = session.end_read().await;
            session.close().await;
            let rows = rows?;
            ended?;
            Ok(rows)
        },
        Interrupt::process(),
    )
    .await
}

/// A run on a session the caller opened and locked (`reset`): plans from the heads read
/// on it with `planner` and applies the plan. With `in_transaction` (PostgreSQL), the
/// caller's open transaction carries the first step, so what the caller did before and
/// the whole plan commit or roll back together.
pub(crate) async fn apply_on<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    session: &mut Session,
    in_transaction: bool,
    map: &RevisionMap,
    planner: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    let run = Run {
        config,
        password: url.password(),
        search_path: session.search_path.clone(),
        purge: false,
        unfinished: Unfinished::Refuse,
        interrupt: Interrupt::process(),
        pooled: None,
        transaction_open: in_transaction,
    };
    run.apply(&mut session.conn, map, None, planner).await
}

/// Connect, lock, run, unlock, close; on SIGINT/SIGTERM, cancel, roll back, unlock.
async fn migrate<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    map: &RevisionMap,
    purge: bool,
    unfinished: Unfinished,
    check: Option<DriftCheck<'_, '_, E>>,
    planner: F,
) -> Result<Outcome, EngineError<E>>
where
    F: FnMut(&[String]) -> Result<Plan<'p>, E>,
{
    let mut session = KeptSession::once(config, url).await?;
    let result = session
        .run(config, map, purge, unfinished, check, planner)
        .await;
    session.close().await;
    result
}
