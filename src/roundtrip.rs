//! The roundtrip verifier (SPEC section 7), the CI gate that catches downgrade residue:
//! applies, undoes and re-applies revisions on a throwaway database with the online
//! engine, snapshots the catalog at every stage and reports what a downgrade left
//! behind (or took away), what a second upgrade did differently, declared keeps that
//! were not kept, and naming-convention violations at the end of the range.
//!
//! [`run`] provisions the database ([`Place`]), runs [`verify`] raced against an
//! interrupt, and removes what it made whatever happens. The report renders as text
//! ([`text`]), JSON ([`Report::to_json`]) or JUnit XML ([`junit`]). Nothing here parses
//! arguments or prints; never runs against the configured database unless told to
//! ([`Place::InPlace`]). [`Stages`] lends the driver to `mig runbook`: its stages, their
//! snapshots and the keep judgements over them.

mod ci;
mod driver;
mod error;
pub mod finding;
mod full;
pub mod junit;
pub mod keeps;
pub mod plans;
pub mod report;
pub mod stages;
mod steps;
pub mod text;
pub mod workspace;

use std::future::Future;
use std::time::Instant;

use serde::Serialize;

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::{Config, PoolerSetting};
use crate::dialect::Dialect;
use crate::diff::DiffOptions;
use crate::naming;
use crate::revision::graph::RevisionMap;
use crate::revision::plan;
use crate::url::DatabaseUrl;

use driver::Driver;

pub use driver::{snapshot_url, DriverError, NotAlone, SnapshotError};
pub use error::RoundtripError;
pub use finding::{Finding, Problem};
pub use report::{Check, CheckKind, Report, RevisionSummary, Status};
pub use stages::{Move, Moved, Residue, Stages, STAGES};
pub use workspace::{Place, Workspace};

/// Which roundtrip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every revision on its own, then the whole range.
    #[default]
    Steps,
    /// The seed runbook's U1-P5 on the last revision.
    Full,
}

impl Mode {
    /// `steps` or `full`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Steps => "steps",
            Mode::Full => "full",
        }
    }
}

/// What to verify and how to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub mode: Mode,
    /// Where the range starts (exclusive, as in `upgrade from:to`): the database is
    /// moved there first. `None`: where the database is (base for a fresh one).
    /// Steps mode only.
    pub from: Option<String>,
    /// Where it ends: `heads` for steps, `head` for full when `None`.
    pub to: Option<String>,
    /// Report column order as a finding (cosmetic, off by default).
    pub column_order: bool,
    /// After a failed step, go on with the next revision on a fresh database brought
    /// there by replay (steps mode; never with [`Place::InPlace`], which has no place
    /// for a second database). Off: the run stops at the first failure.
    pub keep_going: bool,
}

impl Options {
    /// These options for a run at `place`: [`Options::keep_going`] only where there is
    /// room for a second database (not [`Place::InPlace`]).
    pub fn at(&self, place: Place) -> Options {
        let mut opts = self.clone();
        opts.keep_going &= place != Place::InPlace;
        opts
    }
}

/// Provisions the database for `place`, verifies, and removes the database again, also
/// when `interrupt` resolves first (its value is the exit code to report, 130 for
/// Ctrl-C).
pub async fn run<I>(
    config: &Config,
    map: &RevisionMap,
    place: Place,
    opts: &Options,
    interrupt: I,
) -> Result<Report, RoundtripError>
where
    I: Future<Output = i32>,
{
    let dialect = match place {
        Place::Ephemeral => config.dialect()?,
        Place::Scratch | Place::InPlace => config.database_url()?.dialect(),
    };
    preflight(config, dialect, opts)?;
    let opts = &opts.at(place);
    let mut interrupt = std::pin::pin!(interrupt);
    let workspace = Workspace::provision(config, dialect, place, interrupt.as_mut()).await?;
    // A private server mig started itself has no pooler in front of it: nothing to probe.
    let private;
    let config = if place == Place::Ephemeral {
        let mut unpooled = config.clone();
        unpooled.exec.pooler = PoolerSetting::None;
        private = unpooled;
        &private
    } else {
        config
    };
    let verified = tokio::select! {
        report = verify(config, map, &workspace.url, &workspace.description, opts) => Ok(report),
        code = interrupt.as_mut() => Err(code),
    };
    workspace.finish(verified).await?
}

/// Verifies on the database at `url` (described as `database` in the report).
pub async fn verify(
    config: &Config,
    map: &RevisionMap,
    url: &DatabaseUrl,
    database: &str,
    opts: &Options,
) -> Result<Report, RoundtripError> {
    preflight(config, url.dialect(), opts)?;
    let clock = Instant::now();
    let driver = Driver::new(
        config,
        map,
        url,
        SnapshotOptions::from_config(config)?,
        DiffOptions {
            column_order: opts.column_order,
            ..DiffOptions::default()
        },
    )
    .kept();
    let mut checks = Vec::new();
    let end = checked(&driver, opts, &mut checks).await;
    driver.close().await;
    let end = end?;
    match end {
        Some(end) => checks.extend(naming_check(config, &end)?),
        None => {
            let mut range = match opts.mode {
                Mode::Steps => vec![CheckKind::DowngradeAll, CheckKind::UpgradeAll],
                Mode::Full => Vec::new(),
            };
            if naming_configured(config) {
                range.push(CheckKind::Naming);
            }
            report::skip_unreached(&mut checks, &range);
        }
    }
    let messages = |id: &str| {
        map.get(id)
            .map(|r| r.revision().message.clone())
            .unwrap_or_default()
    };
    Ok(Report::new(
        opts.mode,
        url.dialect(),
        database.to_string(),
        &messages,
        checks,
        clock.elapsed(),
    ))
}

/// Runs the mode's checks on `driver`'s database; the state at the end of the range, or
/// `None` when a step failed.
async fn checked(
    driver: &Driver<'_>,
    opts: &Options,
    checks: &mut Vec<Check>,
) -> Result<Option<Snapshot>, RoundtripError> {
    driver
        .ensure_version()
        .await
        .map_err(|error| RoundtripError::Setup {
            context: Some("creating the version table".into()),
            error,
        })?;
    if let Some(from) = &opts.from {
        move_to(driver, from).await?;
    }
    match opts.mode {
        Mode::Steps => {
            let to = opts.to.as_deref().unwrap_or("heads");
            steps::run(driver, to, opts.keep_going, checks).await
        }
        Mode::Full => {
            let to = opts.to.as_deref().unwrap_or("head");
            full::run(driver, to, checks).await
        }
    }
}

/// Refuses what cannot work before anything is provisioned.
fn preflight(config: &Config, dialect: Dialect, opts: &Options) -> Result<(), RoundtripError> {
    if dialect == Dialect::Mysql {
        return Err(RoundtripError::Usage(
            "the roundtrip verifier reads PostgreSQL and SQLite catalogs; MySQL and MariaDB \
             projects cannot be verified yet"
                .to_string(),
        ));
    }
    if opts.mode == Mode::Full && opts.from.is_some() {
        return Err(RoundtripError::Usage(
            "`--from` applies to `--mode steps`; `--mode full` checks the last revision of \
             `--to`"
                .to_string(),
        ));
    }
    SnapshotOptions::from_config(config)?;
    naming::check(&Snapshot::empty(dialect), &config.naming()?)?;
    Ok(())
}

/// The naming-convention check at the end of the range, when conventions are configured.
fn naming_check(config: &Config, end: &Snapshot) -> Result<Option<Check>, RoundtripError> {
    if !naming_configured(config) {
        return Ok(None);
    }
    let clock = Instant::now();
    let findings = naming::check(end, &config.naming()?)?
        .into_iter()
        .map(Finding::naming)
        .collect();
    Ok(Some(Check::ran(
        None,
        CheckKind::Naming,
        findings,
        clock.elapsed(),
    )))
}

fn naming_configured(config: &Config) -> bool {
    // A bad value was refused before the run (`validate`).
    config
        .naming()
        .is_ok_and(|n| naming::configured(&n).next().is_some())
}

/// Moves the database to `target`, up or down, without checking anything.
async fn move_to(driver: &Driver<'_>, target: &str) -> Result<(), RoundtripError> {
    let setup = |error| RoundtripError::Setup {
        context: Some(format!("moving the database to `{target}`")),
        error,
    };
    let heads = driver.heads().await.map_err(setup)?;
    let up = plan::upgrade(driver.map, &heads, target)?;
    if !up.steps.is_empty() {
        driver.upgrade(target).await.map_err(setup)?;
        return Ok(());
    }
    let down = plan::downgrade(driver.map, &heads, target);
    if down.is_ok_and(|plan| !plan.steps.is_empty()) {
        driver.downgrade(target).await.map_err(setup)?;
    }
    Ok(())
}
