//! A private database at revision R, as a service: [`Spare`] makes fresh, empty
//! databases beside one the caller already has (on the same private server, the same
//! scratch server, or a new temp SQLite file) and removes them again; [`to_heads`] brings
//! a database to a set of version rows by plain upgrades. Used by the roundtrip (to go on
//! after a failed step), drift and baseline (the state the revisions make).

pub mod roles;
mod spare;

pub use spare::Spare;

use crate::config::Config;
use crate::engine;
use crate::revision::graph::RevisionMap;
use crate::revision::plan;
use crate::url::DatabaseUrl;

/// Creates the version table on the database at `url` and upgrades it to each of `heads`
/// in turn (independent branches: upgrading to one leaves the others' rows alone). The
/// engine's error, as text, when a step fails.
pub async fn to_heads(
    config: &Config,
    map: &RevisionMap,
    url: &DatabaseUrl,
    heads: &[String],
) -> Result<(), String> {
    engine::ensure_version(config, url)
        .await
        .map_err(|e| format!("creating the version table: {e}"))?;
    for head in heads {
        engine::upgrade(config, url, map, |current: &[String]| {
            plan::upgrade(map, current, head)
        })
        .await
        .map_err(|e| format!("upgrading to `{head}`: {e}"))?;
    }
    Ok(())
}
