//! `mig baseline` (SPEC section 18): which revision is a database that predates mig at?
//! Reads the live catalog in a read-only session (as `mig drift` does), replays the
//! history revision by revision on a private PostgreSQL server (with the target's roles,
//! as the owner of its objects) and compares the catalog after each revision with the
//! live one: the first that is equal matches, else the nearest (fewest findings, the
//! later one on a tie) is reported with its differences. With `stamp`, a match is
//! recorded in the target's version table (and history) so that `upgrade` continues.

pub mod text;

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::diff::{diff, DiffOptions};
use crate::drift::{live, DriftError};
use crate::engine;
use crate::replay;
use crate::revision::graph::RevisionMap;
use crate::revision::plan;
use crate::roundtrip::{plans, snapshot_url, Finding, Place, RoundtripError, Workspace};
use crate::url::DatabaseUrl;

/// What `mig baseline` found (and did).
#[derive(Debug, Clone, Serialize)]
pub struct BaselineReport {
    /// The target, without password.
    pub database: String,
    /// The version rows whose catalog equals the live one (`[]`: base, an empty
    /// schema), if any.
    pub matched: Option<Vec<String>>,
    /// Without a match: the closest state and how the live database differs from it.
    pub nearest: Option<Nearest>,
    /// Whether the version table now records the match.
    pub stamped: bool,
    #[serde(rename = "duration_ms", serialize_with = "crate::json::millis")]
    pub duration: Duration,
}

/// The closest replayed state.
#[derive(Debug, Clone, Serialize)]
pub struct Nearest {
    pub revisions: Vec<String>,
    /// `extra`: only in the live database.
    pub findings: Vec<Finding>,
}

impl BaselineReport {
    /// 0 on a match, 1 when only a nearest revision was found.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.matched.is_none())
    }

    /// The report as pretty JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}

/// Finds the revision of the database at `url`; with `stamp`, records a match.
pub async fn run<I>(
    config: &Config,
    map: &RevisionMap,
    url: &DatabaseUrl,
    stamp: bool,
    interrupt: I,
) -> Result<BaselineReport, DriftError>
where
    I: Future<Output = i32>,
{
    let clock = Instant::now();
    let opts = SnapshotOptions::from_config(config).map_err(RoundtripError::from)?;
    let live = live::read(config, url, &opts).await?;
    if live.versioned {
        return Err(DriftError::Usage(format!(
            "the database already has a version table `{}` (recording [{}]): \
             `mig drift` compares it with its revisions",
            config.exec.version_table.table,
            live.heads.join(", ")
        )));
    }
    let mut interrupt = std::pin::pin!(interrupt);
    let workspace =
        Workspace::provision(config, url.dialect(), Place::Ephemeral, interrupt.as_mut()).await?;
    let searched = tokio::select! {
        found = search(config, map, &workspace.url, &live, &opts) => Ok(found),
        code = interrupt.as_mut() => Err(code),
    };
    let (matched, nearest) = workspace.finish(searched).await??;
    let stamped = match (&matched, stamp) {
        (Some(heads), true) => {
            engine::stamp(config, url, map, false, |current: &[String]| {
                plan::stamp(map, current, heads, false)
            })
            .await
            .map_err(|e| DriftError::Database(format!("stamping the version table: {e}")))?;
            true
        }
        _ => false,
    };
    Ok(BaselineReport {
        database: url.to_string(),
        matched,
        nearest,
        stamped,
        duration: clock.elapsed(),
    })
}

type Found = (Option<Vec<String>>, Option<Nearest>);

/// Replays revision by revision until a state equals the live catalog.
async fn search(
    config: &Config,
    map: &RevisionMap,
    private: &DatabaseUrl,
    live: &live::Live,
    opts: &SnapshotOptions,
) -> Result<Found, DriftError> {
    let failed = DriftError::Replay;
    let runner = replay::roles::adopt(private, &live.roles, live.owner.as_deref())
        .await
        .map_err(failed)?;
    replay::to_heads(config, map, &runner, &[])
        .await
        .map_err(failed)?;
    let order = plans::upgrade_order(map, &[], "heads").map_err(RoundtripError::from)?;
    let diff_opts = DiffOptions {
        owner: live.owner.is_some(),
        ..DiffOptions::default()
    };
    let compare = |state: &Snapshot| Finding::from_diff(diff(state, &live.snapshot, &diff_opts));
    let mut heads: Vec<String> = Vec::new();
    let mut best: Option<Nearest> = None;
    for step in std::iter::once(None).chain(order.iter().map(Some)) {
        if let Some(id) = step {
            replay::to_heads(config, map, &runner, std::slice::from_ref(id))
                .await
                .map_err(failed)?;
            heads = engine::current(config, &runner)
                .await
                .map_err(|e| DriftError::Replay(e.to_string()))?;
            heads.sort();
        }
        let state = snapshot_url(private, opts)
            .await
            .map_err(|e| DriftError::Replay(e.to_string()))?;
        let findings = compare(&state);
        tracing::info!(target: "mig", "baseline: [{}]: {} differences", heads.join(", "), findings.len());
        if findings.is_empty() {
            return Ok((Some(heads), None));
        }
        if best
            .as_ref()
            .is_none_or(|b| findings.len() <= b.findings.len())
        {
            best = Some(Nearest {
                revisions: heads.clone(),
                findings,
            });
        }
    }
    Ok((None, best))
}
