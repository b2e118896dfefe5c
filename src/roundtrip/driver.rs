//! The verifier's hands: moves the database with the online engine (each move one locked
//! run, exactly as `mig upgrade`/`mig downgrade` would do it, `Transaction: none`
//! revisions included), takes catalog snapshots and compares them. Errors come back as
//! the engine's or the server's message, free of passwords (a move that fails before its
//! snapshot becomes the mode's failed check). Decides nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sqlx::Connection as _;

use crate::catalog::{snapshot_postgres, snapshot_sqlite, CatalogError, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::{connect_postgres, connect_sqlite, DbError, SqliteLocation};
use crate::dialect::Dialect;
use crate::diff::{diff, DiffOptions};
use crate::engine::{self, EngineError, Outcome};
use crate::revision::graph::{CommandError, Direction, RevisionMap};
use crate::revision::plan::{self, Plan};
use crate::url::DatabaseUrl;

use super::finding::Finding;
use super::keeps::{self, KeepRule};
use super::plans;
use super::report::{Check, CheckKind};

/// Everything a move or a snapshot needs.
pub(super) struct Driver<'a> {
    pub config: &'a Config,
    pub map: &'a RevisionMap,
    pub url: &'a DatabaseUrl,
    pub snapshot: SnapshotOptions,
    pub diff: DiffOptions,
}

impl<'a> Driver<'a> {
    /// The same driver on another database (a fresh one after a failed step).
    pub fn on<'b>(&self, url: &'b DatabaseUrl) -> Driver<'b>
    where
        'a: 'b,
    {
        Driver {
            config: self.config,
            map: self.map,
            url,
            snapshot: self.snapshot.clone(),
            diff: self.diff,
        }
    }

    /// Creates the version table (and its schema) if missing, so that the starting state
    /// already holds what mig itself adds.
    pub async fn ensure_version(&self) -> Result<(), DriverError> {
        engine::ensure_version(self.config, self.url)
            .await
            .map_err(DriverError::Version)
    }

    /// The version table's rows.
    pub async fn heads(&self) -> Result<Vec<String>, DriverError> {
        engine::current(self.config, self.url)
            .await
            .map_err(DriverError::Version)
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
                engine::upgrade(self.config, self.url, map, |heads: &[String]| {
                    plan::upgrade(map, heads, target)
                })
                .await
            }
            Direction::Downgrade => {
                engine::downgrade(self.config, self.url, map, |heads: &[String]| {
                    plan::downgrade(map, heads, target)
                })
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
        engine::downgrade(self.config, self.url, map, |heads: &[String]| {
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
        let outcome = engine::downgrade(self.config, self.url, map, |heads: &[String]| {
            let (plan, at) = plans::until_irreversible(map, plan::downgrade(map, heads, target)?);
            stopped = at;
            Ok::<Plan, CommandError>(plan)
        })
        .await
        .map_err(DriverError::Move)?;
        Ok((outcome, stopped))
    }

    /// A snapshot of the database now.
    pub async fn snapshot(&self) -> Result<Snapshot, DriverError> {
        let clock = Instant::now();
        let taken = snapshot_url(self.url, &self.snapshot)
            .await
            .map_err(DriverError::Snapshot);
        tracing::debug!(target: "mig", "roundtrip: snapshot in {} ms", clock.elapsed().as_millis());
        taken
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
        match taken {
            Ok(pair) => Some(pair),
            Err(reason) => {
                checks.push(Check::failed(
                    rev,
                    kind,
                    reason.to_string(),
                    clock.elapsed(),
                ));
                None
            }
        }
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

/// Why a database could not be snapshotted.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Connect(#[from] DbError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A backend or form the verifier cannot read (MySQL, in-memory SQLite).
    #[error("{0}")]
    Unsupported(&'static str),
}

impl SnapshotError {
    /// 3 for database errors, 2 for what cannot be read at all.
    pub fn exit_code(&self) -> i32 {
        match self {
            SnapshotError::Connect(_) | SnapshotError::Catalog(_) => 3,
            SnapshotError::Unsupported(_) => 2,
        }
    }
}

/// Connects to `url`, takes a catalog snapshot and disconnects.
pub async fn snapshot_url(
    url: &DatabaseUrl,
    opts: &SnapshotOptions,
) -> Result<Snapshot, SnapshotError> {
    match url.dialect() {
        Dialect::Postgresql => {
            let mut conn = connect_postgres(url, None).await?;
            let snapshot = snapshot_postgres(&mut conn, opts).await;
            let _ = conn.close().await;
            Ok(snapshot?)
        }
        Dialect::Sqlite => {
            let location = match url.database() {
                Some(path) if !url.is_sqlite_memory() => SqliteLocation::File(PathBuf::from(path)),
                _ => {
                    return Err(SnapshotError::Unsupported(
                        "an in-memory SQLite database is private to its connection: there is \
                         nothing to snapshot",
                    ))
                }
            };
            let mut conn = connect_sqlite(&location, Duration::from_secs(60)).await?;
            let snapshot = snapshot_sqlite(&mut conn, opts).await;
            let _ = conn.close().await;
            Ok(snapshot?)
        }
        Dialect::Mysql => Err(SnapshotError::Unsupported(
            "MySQL and MariaDB catalogs cannot be snapshotted yet",
        )),
    }
}

/// The revisions an outcome ran, in order.
pub(super) fn ran(outcome: &Outcome) -> Vec<String> {
    outcome
        .steps
        .iter()
        .filter_map(|s| s.revision.clone())
        .collect()
}
