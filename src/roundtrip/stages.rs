//! The runbook's procedure as a service of the verifier: the stages `upgrade heads`,
//! `downgrade base` and `upgrade heads` again, each one locked engine run through the
//! verifier's [`Driver`], the catalog snapshot after each, and the two judgements over
//! those snapshots with the verifier's own rules: what the downgrade left behind beyond
//! the declared `Downgrade Keeps` (the whole-range rule of `--mode steps`: keeps are
//! accepted, not required, as an earlier revision's downgrade may remove a later one's
//! keep), and whether upgrading again gives the same catalog. The caller runs the stages
//! one by one, so that it can look at the database between them; nothing here renders.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::diff::DiffOptions;
use crate::engine::{EngineError, Outcome};
use crate::revision::graph::{CommandError, Direction, RevisionMap};
use crate::url::DatabaseUrl;

use super::driver::{ran, Driver, DriverError};
use super::finding::Finding;
use super::RoundtripError;

/// One stage: its name, which way it moves and where to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub name: &'static str,
    pub direction: Direction,
    pub to: &'static str,
}

impl Move {
    /// The `mig` command that does the same (`mig downgrade base`).
    pub fn command(&self) -> String {
        format!("mig {} {}", self.direction, self.to)
    }
}

/// The three stages, in order.
pub const STAGES: [Move; 3] = [
    Move {
        name: "upgrade heads",
        direction: Direction::Upgrade,
        to: "heads",
    },
    Move {
        name: "downgrade base",
        direction: Direction::Downgrade,
        to: "base",
    },
    Move {
        name: "upgrade heads again",
        direction: Direction::Upgrade,
        to: "heads",
    },
];

/// A stage as it ran.
#[derive(Debug)]
pub struct Moved {
    pub started_at: DateTime<Utc>,
    pub duration: Duration,
    /// The engine's outcome, or its error as it is (steps committed and rolled back).
    pub result: Result<Outcome, EngineError<CommandError>>,
}

/// What a downgrade left behind, judged against the declared keeps.
#[derive(Debug, Clone, Default)]
pub struct Residue {
    /// Left behind (or taken away, or changed) beyond what the keeps accept.
    pub findings: Vec<Finding>,
    /// The kept objects the downgrade left behind (absent at the start), as
    /// `kind identity`.
    pub kept: Vec<String>,
}

/// The stages on one database.
pub struct Stages<'a> {
    driver: Driver<'a>,
}

impl<'a> Stages<'a> {
    /// The stages on the database at `url`, snapshots as `config` says.
    pub fn new(
        config: &'a Config,
        map: &'a RevisionMap,
        url: &'a DatabaseUrl,
    ) -> Result<Stages<'a>, RoundtripError> {
        Ok(Stages {
            driver: Driver::new(
                config,
                map,
                url,
                SnapshotOptions::from_config(config)?,
                DiffOptions::default(),
            ),
        })
    }

    /// A catalog snapshot of the database now.
    pub async fn snapshot(&self) -> Result<Snapshot, DriverError> {
        self.driver.snapshot().await
    }

    /// Runs one stage.
    pub async fn run(&self, stage: &Move) -> Moved {
        let started_at = Utc::now();
        let clock = Instant::now();
        let result = self.driver.apply(stage.direction, stage.to).await;
        Moved {
            started_at,
            duration: clock.elapsed(),
            result,
        }
    }

    /// What the downgrade that produced `reverted` left in `base` compared with `start`,
    /// accepting the keeps of the revisions it reverted.
    pub fn residue(&self, start: &Snapshot, base: &Snapshot, reverted: &Outcome) -> Residue {
        let rules = self.driver.keeps_of(ran(reverted));
        let (findings, applied) = self.driver.judge_keeping(start, base, &rules, false);
        let kept = applied
            .kept
            .iter()
            .filter(|o| start.get(o.kind, &o.id).is_none())
            .map(|o| o.label())
            .collect();
        Residue { findings, kept }
    }

    /// What differs in `again` from `first`.
    pub fn again(&self, first: &Snapshot, again: &Snapshot) -> Vec<Finding> {
        self.driver.compare(first, again)
    }
}
