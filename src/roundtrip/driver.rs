//! The verifier's hands: moves the database with the online engine (each move one locked
//! run, exactly as `mig upgrade`/`mig downgrade` would do it, `Transaction: none`
//! revisions included), takes catalog snapshots and compares them. The verifier's driver
//! moves on one engine session and snapshots on a connection of its own
//! ([`Driver::kept`]); a use that fails closes its session or connection and the next
//! one connects again. Errors come back as the
//! engine's or the server's message, free of passwords (a move that fails before its
//! snapshot becomes the mode's failed check). Decides nothing.

mod snapshot;

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::dialect::Dialect;
use crate::diff::{diff, DiffOptions};
use crate::engine::{EngineError, KeptSession, Outcome, Reset};
use crate::revision::graph::{CommandError, Direction, RevisionMap};
use crate::revision::plan::{self, Plan};
use crate::url::DatabaseUrl;

use super::finding::Finding;
use super::keeps::{self, KeepRule};
use super::plans;
use super::report::{Check, CheckKind};

use snapshot::Reader;
pub use snapshot::{snapshot_url, SnapshotError};

/// Everything a move or a snapshot needs.
pub(super) struct Driver<'a> {
    pub config: &'a Config,
    pub map: &'a RevisionMap,
    pub url: DatabaseUrl,
    pub snapshot: SnapshotOptions,
    pub diff: DiffOptions,
    /// Whether moves share one engine session, and snapshots another ([`Driver::kept`]).
    keep: bool,
    /// The moves' session between two uses (`None` before the first, and after a use
    /// that failed: the next one connects again).
    mover: Mutex<Option<KeptSession>>,
    /// The snapshots' connection, likewise.
    reader: Reader,
    /// Whether the moves' session found no transaction pooler in front of the server
    /// (set when it first connects): the snapshots may then prepare their statement.
    unpooled: OnceLock<bool>,
}

impl<'a> Driver<'a> {
    /// A driver whose every move and snapshot connects on its own, as `mig upgrade` and
    /// `mig snapshot` would (the runbook's stages).
    pub fn new(
        config: &'a Config,
        map: &'a RevisionMap,
        url: &DatabaseUrl,
        snapshot: SnapshotOptions,
        diff: DiffOptions,
    ) -> Driver<'a> {
        Driver {
            config,
            map,
            url: url.clone(),
            snapshot,
            diff,
            keep: false,
            mover: Mutex::new(None),
            reader: Reader::default(),
            unpooled: OnceLock::new(),
        }
    }

    /// The same driver, its moves on one engine session and its snapshots on a
    /// connection of their own (the verifier, alone on its database). Each move still
    /// takes and releases the migration lock, and the moves' session is reset between
    /// moves to how it was opened, so that what a revision leaves on it does not reach
    /// the next move. The snapshots' connection (PostgreSQL) only ever runs snapshots,
    /// the statement prepared once ([`Reader`]) unless through a transaction pooler.
    /// Close both with [`Driver::close`].
    pub fn kept(mut self) -> Driver<'a> {
        self.keep = true;
        self
    }

    /// The same driver on another database (a fresh one after a failed step).
    pub fn on(&self, url: &DatabaseUrl) -> Driver<'a> {
        Driver {
            keep: self.keep,
            ..Driver::new(self.config, self.map, url, self.snapshot.clone(), self.diff)
        }
    }

    /// Closes the shared session and connection, if open.
    pub async fn close(&self) {
        let kept = self.mover.lock().ok().and_then(|mut held| held.take());
        if let Some(session) = kept {
            session.close().await;
        }
        self.reader.close().await;
    }

    /// The moves' session for the next use: the kept one, or a new one.
    async fn session<E>(&self) -> Result<KeptSession, EngineError<E>> {
        let kept = self.mover.lock().ok().and_then(|mut held| held.take());
        match kept {
            Some(session) => Ok(session),
            None => {
                let session = KeptSession::open(self.config, &self.url).await?;
                let _ = self.unpooled.set(!session.pooler().is_transaction());
                Ok(session)
            }
        }
    }

    /// After a use of the moves' `session` (a move, or a read of the version table):
    /// keeps it for the next use when this driver shares one and the use went well
    /// (`healthy`), after resetting it; closes it otherwise.
    async fn moved(&self, mut session: KeptSession, healthy: bool) {
        if self.keep && healthy {
            match session.reset(self.config).await {
                Ok(reset) => {
                    // A new session starts differently now: so does a new snapshot.
                    if reset == Reset::Reconnected {
                        self.reader.close().await;
                    }
                    if let Ok(mut held) = self.mover.lock() {
                        *held = Some(session);
                    }
                    return;
                }
                Err(err) => {
                    tracing::debug!(target: "mig", "roundtrip: connecting again: {err}");
                }
            }
        }
        session.close().await;
    }

    /// Runs `plan` on the moves' session.
    async fn migrate<E, F>(&self, plan: F) -> Result<Outcome, EngineError<E>>
    where
        F: FnMut(&[String]) -> Result<Plan<'a>, E>,
    {
        let mut session = self.session().await?;
        let moved = session.migrate(self.config, self.map, plan).await;
        self.moved(session, moved.is_ok()).await;
        moved
    }

    /// Creates the version table (and its schema) if missing, so that the starting state
    /// already holds what mig itself adds.
    pub async fn ensure_version(&self) -> Result<(), DriverError> {
        let mut session = self.session().await.map_err(DriverError::Version)?;
        let made = session.ensure_version(self.config).await;
        self.moved(session, made.is_ok()).await;
        made.map_err(DriverError::Version)
    }

    /// The version table's rows.
    pub async fn heads(&self) -> Result<Vec<String>, DriverError> {
        let mut session = self.session().await.map_err(DriverError::Version)?;
        let heads = session.current(self.config).await;
        self.moved(session, heads.is_ok()).await;
        heads.map_err(DriverError::Version)
    }

    /// `upgrade <target>` or `downgrade <target>`, with the engine's error as it is (the
    /// steps committed and rolled back, the failing statement).
    pub async fn apply(
        &self,
        direction: Direction,
        target: &str,
    ) -> Result<Outcome, EngineError<CommandError>> {
        let clock = Instant::now();
        let map = self.map;
        let moved = match direction {
            Direction::Upgrade => {
                self.migrate(|heads: &[String]| plan::upgrade(map, heads, target))
                    .await
            }
            Direction::Downgrade => {
                self.migrate(|heads: &[String]| plan::downgrade(map, heads, target))
                    .await
            }
        };
        tracing::debug!(target: "mig", "roundtrip: {direction} {target} in {} ms", clock.elapsed().as_millis());
        moved
    }

    /// `upgrade <target>`.
    pub async fn upgrade(&self, target: &str) -> Result<Outcome, DriverError> {
        self.apply(Direction::Upgrade, target)
            .await
            .map_err(DriverError::Move)
    }

    /// `downgrade <target>`.
    pub async fn downgrade(&self, target: &str) -> Result<Outcome, DriverError> {
        self.apply(Direction::Downgrade, target)
            .await
            .map_err(DriverError::Move)
    }

    /// Downgrades exactly revision `id`, back to its parents.
    pub async fn downgrade_one(&self, id: &str) -> Result<Outcome, DriverError> {
        let clock = Instant::now();
        let map = self.map;
        self.migrate(|heads: &[String]| {
            plans::downgrade_one(map, heads, id).ok_or_else(|| NotAlone(id.to_string()))
        })
        .await
        .map_err(DriverError::MoveOne)
        .inspect(|_| tracing::debug!(target: "mig", "roundtrip: downgrade `{id}` alone in {} ms", clock.elapsed().as_millis()))
    }

    /// `downgrade <target>`, stopping before the first irreversible revision; also says
    /// where it stopped.
    pub async fn downgrade_until_irreversible(
        &self,
        target: &str,
    ) -> Result<(Outcome, Option<String>), DriverError> {
        let map = self.map;
        let mut stopped = None;
        let outcome = self
            .migrate(|heads: &[String]| {
                let (plan, at) =
                    plans::until_irreversible(map, plan::downgrade(map, heads, target)?);
                stopped = at;
                Ok::<Plan, CommandError>(plan)
            })
            .await
            .map_err(DriverError::Move)?;
        Ok((outcome, stopped))
    }

    /// A snapshot of the database now: on the snapshots' connection when this driver
    /// keeps one (PostgreSQL), else as `mig snapshot` takes it.
    pub async fn snapshot(&self) -> Result<Snapshot, DriverError> {
        let clock = Instant::now();
        let taken = if self.keep && self.url.dialect() == Dialect::Postgresql {
            let prepared = self.unpooled.get() == Some(&true);
            self.reader
                .snapshot(&self.url, &self.snapshot, prepared)
                .await
        } else {
            snapshot_url(&self.url, &self.snapshot).await
        };
        tracing::debug!(target: "mig", "roundtrip: snapshot in {} ms", clock.elapsed().as_millis());
        taken.map_err(DriverError::Snapshot)
    }

    /// The outcome of a move (`upgrade`, `downgrade`, ...) and a snapshot taken right
    /// after it. When either fails, the failed check (`kind` of `rev`, timed from
    /// `clock`) goes into `checks` and `None` comes back: the run stops there.
    pub async fn then_snapshot(
        &self,
        moved: Result<Outcome, DriverError>,
        checks: &mut Vec<Check>,
        (rev, kind, clock): (Option<&str>, CheckKind, Instant),
    ) -> Option<(Outcome, Snapshot)> {
        let taken = match moved {
            Ok(outcome) => self.snapshot().await.map(|snapshot| (outcome, snapshot)),
            Err(reason) => Err(reason),
        };
        failed_check(taken, checks, (rev, kind, clock))
    }

    /// What differs in `now` from `expected`.
    pub fn compare(&self, expected: &Snapshot, now: &Snapshot) -> Vec<Finding> {
        Finding::from_diff(diff(expected, now, &self.diff))
    }

    /// What differs in `now` from `expected`, accepting what `rules` keep; with
    /// `require`, a declared keep missing from `now` is a finding too.
    pub fn compare_keeping(
        &self,
        expected: &Snapshot,
        now: &Snapshot,
        rules: &[KeepRule],
        require: bool,
    ) -> Vec<Finding> {
        self.judge_keeping(expected, now, rules, require).0
    }

    /// [`Driver::compare_keeping`], and what the keeps accepted.
    pub fn judge_keeping(
        &self,
        expected: &Snapshot,
        now: &Snapshot,
        rules: &[KeepRule],
        require: bool,
    ) -> (Vec<Finding>, keeps::Applied) {
        let applied = keeps::apply(rules, expected, now);
        let mut findings = self.compare(applied.before.as_ref().unwrap_or(expected), now);
        if require {
            findings.extend(applied.not_left.iter().map(Finding::keep_not_left));
        }
        (findings, applied)
    }

    /// The keep rules of the revisions `outcome` ran.
    pub fn keeps_of(&self, ids: impl IntoIterator<Item = String>) -> Vec<KeepRule> {
        ids.into_iter()
            .filter_map(|id| self.map.get(&id))
            .flat_map(|r| KeepRule::all(&r.revision().downgrade_keeps))
            .collect()
    }
}

/// `done`'s value; when it failed, the failed check (`kind` of `rev`, timed from `clock`)
/// goes into `checks` and `None` comes back: the run stops there.
pub(super) fn failed_check<T>(
    done: Result<T, DriverError>,
    checks: &mut Vec<Check>,
    (rev, kind, clock): (Option<&str>, CheckKind, Instant),
) -> Option<T> {
    done.map_err(|reason| {
        checks.push(Check::failed(
            rev,
            kind,
            reason.to_string(),
            clock.elapsed(),
        ))
    })
    .ok()
}

/// Why the driver could not move the database or snapshot it. Each message is the
/// engine's or the server's, free of passwords; in a report it is the failed check's
/// reason.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Creating or reading the version table.
    #[error(transparent)]
    Version(EngineError),
    /// An upgrade or downgrade: what ran, what was rolled back, the failing statement.
    #[error(transparent)]
    Move(EngineError<CommandError>),
    /// Downgrading exactly one revision.
    #[error(transparent)]
    MoveOne(EngineError<NotAlone>),
    #[error("taking a catalog snapshot failed: {0}")]
    Snapshot(SnapshotError),
}

/// No downgrade target undoes revision `.0` alone (it is below a merge, say).
#[derive(Debug, thiserror::Error)]
#[error("no downgrade target undoes `{0}` alone")]
pub struct NotAlone(String);

/// The revisions an outcome ran, in order.
pub(super) fn ran(outcome: &Outcome) -> Vec<String> {
    outcome
        .steps
        .iter()
        .filter_map(|s| s.revision.clone())
        .collect()
}
