//! `mig drift` (SPEC section 18): did someone change the database by hand? Reads the
//! target's version rows and catalog in a read-only session ([`live`]), replays the
//! recorded revisions on a private PostgreSQL server ([`crate::replay`], as
//! `roundtrip --ephemeral`), with the target's roles and as the role that owns the version
//! table there, and reports what the live database has that the revisions did not make,
//! what it lacks and what differs, as roundtrip [`Finding`]s ([`text`], JSON, and the CI
//! formats through [`DriftReport::diagnostics`]). Never writes to the target.

mod diagnostics;
pub mod live;
pub mod text;

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::catalog::SnapshotOptions;
use crate::config::Config;
use crate::diff::{diff, DiffOptions};
use crate::replay;
use crate::revision::graph::RevisionMap;
use crate::roundtrip::{snapshot_url, Finding, Place, RoundtripError, Workspace};
use crate::url::DatabaseUrl;

/// What `mig drift` found.
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport {
    /// The target, without password.
    pub database: String,
    /// The revisions its version table records.
    pub revisions: Vec<String>,
    /// Differences of the live catalog from the replayed one: `extra` is in the live
    /// database only.
    pub findings: Vec<Finding>,
    #[serde(rename = "duration_ms", serialize_with = "crate::json::millis")]
    pub duration: Duration,
}

impl DriftReport {
    /// 0 when the database matches its revisions, 1 on drift.
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.findings.is_empty())
    }

    /// The report as pretty JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}

/// Why `mig drift` could not compare.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    #[error("{0}")]
    Usage(String),
    #[error(
        "the database has no version table `{0}`: no revision is recorded there to replay \
         (`mig baseline` finds the revision of a database that predates mig)"
    )]
    NoVersionTable(String),
    #[error("the version table records revisions this project does not have: {}; \
             is this the right project (or branch) for the database?", .0.join(", "))]
    UnknownRevisions(Vec<String>),
    #[error("cannot read {0}; drift needs CONNECT on the database, USAGE on its schemas and SELECT on the version table")]
    Unreadable(String),
    #[error("{0}")]
    Database(String),
    #[error("replaying the recorded revisions on a private server failed: {0}")]
    Replay(String),
    #[error(transparent)]
    Roundtrip(Box<RoundtripError>),
}

impl From<RoundtripError> for DriftError {
    fn from(err: RoundtripError) -> Self {
        DriftError::Roundtrip(Box::new(err))
    }
}

impl DriftError {
    /// 2 for usage and revisions, 3 for the database, 130/143 after an interrupt.
    pub fn exit_code(&self) -> i32 {
        match self {
            DriftError::Usage(_)
            | DriftError::NoVersionTable(_)
            | DriftError::UnknownRevisions(_) => 2,
            DriftError::Unreadable(_) | DriftError::Database(_) | DriftError::Replay(_) => 3,
            DriftError::Roundtrip(err) => err.exit_code(),
        }
    }
}

/// Compares the database at `url` with its recorded revisions replayed on a private
/// server (removed afterwards, also when `interrupt` resolves first).
pub async fn run<I>(
    config: &Config,
    map: &RevisionMap,
    url: &DatabaseUrl,
    interrupt: I,
) -> Result<DriftReport, DriftError>
where
    I: Future<Output = i32>,
{
    let clock = Instant::now();
    let opts = SnapshotOptions::from_config(config).map_err(RoundtripError::from)?;
    let live = live::read(config, url, &opts).await?;
    if !live.versioned {
        return Err(DriftError::NoVersionTable(
            config.exec.version_table.table.clone(),
        ));
    }
    let unknown: Vec<String> = live
        .heads
        .iter()
        .filter(|id| map.get(id).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(DriftError::UnknownRevisions(unknown));
    }
    let mut interrupt = std::pin::pin!(interrupt);
    let workspace =
        Workspace::provision(config, url.dialect(), Place::Ephemeral, interrupt.as_mut()).await?;
    let replayed = tokio::select! {
        replayed = replayed(config, map, &workspace.url, &live, &opts) => Ok(replayed),
        code = interrupt.as_mut() => Err(code),
    };
    let expected = workspace.finish(replayed).await??;
    let diff_opts = DiffOptions {
        owner: live.owner.is_some(),
        ..DiffOptions::default()
    };
    Ok(DriftReport {
        database: url.to_string(),
        revisions: live.heads.clone(),
        findings: Finding::from_diff(diff(&expected, &live.snapshot, &diff_opts)),
        duration: clock.elapsed(),
    })
}

/// The target's roles on the private server, the revisions replayed as the owner of
/// the target's objects there, and the snapshot of the result.
async fn replayed(
    config: &Config,
    map: &RevisionMap,
    private: &DatabaseUrl,
    live: &live::Live,
    opts: &SnapshotOptions,
) -> Result<crate::catalog::Snapshot, DriftError> {
    let runner = replay::roles::adopt(private, &live.roles, live.owner.as_deref())
        .await
        .map_err(DriftError::Replay)?;
    replay::to_heads(config, map, &runner, &live.heads)
        .await
        .map_err(DriftError::Replay)?;
    snapshot_url(private, opts)
        .await
        .map_err(|e| DriftError::Replay(e.to_string()))
}
