//! Preflight: the project as configured, before anything connects - the ini file, the
//! version locations, the keys in effect, the database URL's form, and the revision
//! graph (count, heads, id lengths, checksums). Pure over the loaded configuration and
//! graph; the checksum comparison with a database's history table is added by the caller.

use std::path::Path;

use super::evidence::{Evidence, Mark};
use super::model::{Preflight, RevisionRow, Setting};
use crate::config::{Config, ConfigError};
use crate::revision::graph::RevisionMap;
use crate::revision::parse::checksum;
use crate::revision::plan;
use crate::url::DatabaseUrl;

/// Alembic's `version_num` column is `VARCHAR(32)`.
const MAX_ID: usize = 32;

/// How the configured database URL resolved, and whether the run needs it.
pub struct UrlFacts<'a> {
    pub url: &'a Result<DatabaseUrl, ConfigError>,
    /// False for ephemeral runs, which never connect to the configured database.
    pub needed: bool,
}

/// The preflight section. `revisions` is the graph, or why it could not be loaded.
pub fn preflight(
    config: &Config,
    revisions: Result<&RevisionMap, &str>,
    url: &UrlFacts<'_>,
) -> Preflight {
    let mut checks = vec![Evidence::info(
        "configuration",
        format!(
            "`{}`, section `[{}]`",
            relative(&config.here, &config.path),
            config.section
        ),
    )];
    let locations: Vec<String> = config
        .version_locations
        .iter()
        .map(|p| format!("`{}`", relative(&config.here, p)))
        .collect();
    checks.push(Evidence::new(
        "exactly one version location",
        Mark::judged_soft(locations.len() == 1),
        format!(
            "{} version location{}: {}",
            locations.len(),
            if locations.len() == 1 { "" } else { "s" },
            locations.join(", ")
        ),
    ));
    checks.push(url_check(config, url));
    let mut rows = Vec::new();
    match revisions {
        Err(error) => {
            checks.push(Evidence::failed("revision files load", error));
            for title in ["revision graph", "revision ids fit `VARCHAR(32)`"] {
                checks.push(Evidence::not_run(title, "the revision files did not load"));
            }
        }
        Ok(map) => {
            checks.push(Evidence::judged(
                "revision files load",
                true,
                format!("{} revision files parsed, graph built", map.len()),
            ));
            let heads: Vec<String> = map
                .heads()
                .iter()
                .map(|r| format!("`{}`", r.id()))
                .collect();
            let bases: Vec<String> = map
                .bases()
                .iter()
                .map(|r| format!("`{}`", r.id()))
                .collect();
            checks.push(Evidence::new(
                "revision graph",
                Mark::judged_soft(heads.len() <= 1),
                format!(
                    "{} revisions; head{}: {}; base{}: {}",
                    map.len(),
                    if heads.len() == 1 { "" } else { "s" },
                    or_none(&heads),
                    if bases.len() == 1 { "" } else { "s" },
                    or_none(&bases)
                ),
            ));
            let longest = map
                .revisions()
                .map(|r| r.id())
                .max_by_key(|id| id.chars().count());
            let too_long: Vec<String> = map
                .revisions()
                .map(|r| r.id())
                .filter(|id| id.chars().count() > MAX_ID)
                .map(|id| format!("`{id}`"))
                .collect();
            let detail = match (longest, too_long.is_empty()) {
                (None, _) => "no revisions".to_string(),
                (Some(id), true) => format!(
                    "longest id `{id}`: {} of {MAX_ID} characters",
                    id.chars().count()
                ),
                (Some(_), false) => format!("longer than {MAX_ID}: {}", too_long.join(", ")),
            };
            checks.push(Evidence::judged(
                "revision ids fit `VARCHAR(32)`",
                too_long.is_empty(),
                detail,
            ));
            rows = revision_rows(config, map);
        }
    }
    Preflight {
        checks,
        settings: settings(config, url.url),
        revisions: rows,
    }
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn url_check(config: &Config, facts: &UrlFacts<'_>) -> Evidence {
    let title = "database URL";
    match facts.url {
        Ok(url) => {
            let driver = url
                .driver()
                .map(|d| format!(", driver `{d}`"))
                .unwrap_or_default();
            let mut detail = format!(
                "dialect `{}`{driver}, normalised `{}`",
                url.dialect().name(),
                url.normalized()
            );
            let agrees = config.dialect.is_none_or(|d| d == url.dialect());
            if !agrees {
                let configured = config.dialect.map(|d| d.name()).unwrap_or_default();
                detail.push_str(&format!(
                    "; `[mig] dialect` says `{configured}`, the URL `{}`",
                    url.dialect().name()
                ));
            }
            Evidence::new(title, Mark::judged_soft(agrees), detail)
        }
        Err(error) if facts.needed => Evidence::failed(title, error.to_string()),
        Err(error) => Evidence::info(
            title,
            format!("not resolved ({error}); not needed: the run uses a private database"),
        ),
    }
}

/// The configuration keys in effect.
fn settings(config: &Config, url: &Result<DatabaseUrl, ConfigError>) -> Vec<Setting> {
    let here = &config.here;
    let path = |p: &Path| relative(here, p);
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not set)".into());
    let exec = &config.exec;
    // `runbook` resolved every setting first (`Config::check_settings`).
    let naming = &config.naming().unwrap_or_default();
    let mut out = vec![
        ("script_location", path(&config.script_location)),
        (
            "version_locations",
            config
                .version_locations
                .iter()
                .map(|p| path(p))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "recursive_version_locations",
            config.recursive_version_locations.to_string(),
        ),
        (
            "sqlalchemy.url",
            match url {
                Ok(url) => url.to_string(),
                Err(_) => "(not resolved)".into(),
            },
        ),
        (
            "dialect",
            config
                .dialect
                .map(|d| d.name().to_string())
                .unwrap_or_else(|| "(from the URL)".into()),
        ),
        ("version_table", exec.version_table.table.clone()),
        ("version_table_schema", opt(&exec.version_table.schema)),
        ("version_table_pk", exec.version_table.pk.to_string()),
        (
            "search_path",
            opt(&exec.search_path.as_ref().map(ToString::to_string)),
        ),
        (
            "transaction_per_migration",
            exec.transaction_per_migration.to_string(),
        ),
        ("lock", exec.lock.to_string()),
        (
            "lock_timeout",
            format!("{}s", exec.lock_timeout.as_secs_f64()),
        ),
        (
            "history_table",
            exec.history_table
                .clone()
                .unwrap_or_else(|| "(disabled)".into()),
        ),
        ("naming_convention.pk", opt(&naming.pk)),
        ("naming_convention.fk", opt(&naming.fk)),
        ("naming_convention.uq", opt(&naming.uq)),
        ("naming_convention.ix", opt(&naming.ix)),
        ("naming_convention.ck", opt(&naming.ck)),
        (
            "runbook_dir",
            path(
                &config
                    .runbook_dir()
                    .unwrap_or_else(|_| here.join("runbook")),
            ),
        ),
        ("project", opt(&config.project().ok().flatten())),
    ];
    let ignore = config.ignore().unwrap_or_default();
    if !ignore.is_empty() {
        out.push(("ignore", ignore.join(", ")));
    }
    out.into_iter()
        .map(|(key, value)| Setting {
            key: key.to_string(),
            value,
        })
        .collect()
}

/// The revisions in upgrade order from base to the heads (load order if the graph
/// cannot be walked).
fn revision_rows(config: &Config, map: &RevisionMap) -> Vec<RevisionRow> {
    let order: Vec<String> = match plan::upgrade(map, &[], "heads") {
        Ok(plan) => plan.revisions().map(|r| r.id.clone()).collect(),
        Err(_) => map.revisions().map(|r| r.id().to_string()).collect(),
    };
    order
        .iter()
        .filter_map(|id| map.get(id))
        .map(|r| {
            let revision = r.revision();
            RevisionRow {
                id: revision.id.clone(),
                revises: revision.down_revisions.clone(),
                message: revision.message.clone(),
                file: relative(&config.here, &revision.path),
                checksum: checksum(&revision.upgrade),
            }
        })
        .collect()
}

/// `path` relative to `base` when inside it (`.` for `base` itself), else as given.
pub fn relative(base: &Path, path: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rest) if rest.as_os_str().is_empty() => ".".into(),
        Ok(rest) => rest.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests;
