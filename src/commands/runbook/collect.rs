//! The runbook's live sections: connection and privileges (tried for real, rolled back),
//! the checksum comparison with the target's history table, and the user's DoD checks,
//! each with the query it ran and what came back. Failures become failed checks, never
//! errors.

use std::collections::BTreeMap;

use super::Target;
use crate::db::history::latest_checksums;
use crate::db::Connection;
use crate::dialect::{Dialect, SearchPath};
use crate::engine;
use crate::revision::graph::CommandError;
use crate::revision::Revision;
use crate::runbook::dod::{DodCheck, Expect, Probe};
use crate::runbook::probe::{self, Observer, PROBE_SCHEMA};
use crate::runbook::{DodFile, Evidence, Mark};

/// Connection and privileges, after a successful connect (`identity`: who and where).
pub async fn connection_checks(
    target: &Target<'_>,
    observer: &mut Observer,
    identity: String,
    extensions: &BTreeMap<String, Vec<String>>,
) -> Vec<Evidence> {
    let mut checks = vec![Evidence::judged("connect", true, identity)];
    checks.push(search_path_check(target, observer).await);
    match observer.conn.dialect() {
        Dialect::Postgresql => {
            let sql = format!("CREATE SCHEMA {PROBE_SCHEMA}");
            checks.push(rolled_back_check(observer, "can create a schema", &sql).await);
            checks.extend(extension_checks(observer, extensions).await);
            checks.push(time_zone_check(&mut observer.conn).await);
        }
        _ => {
            let sql = format!("CREATE TABLE {PROBE_SCHEMA} (id integer)");
            checks.push(rolled_back_check(observer, "can create a table", &sql).await);
            checks.push(Evidence::info(
                "time zone",
                "SQLite has no server time zone: `CURRENT_TIMESTAMP` and `datetime('now')` are UTC",
            ));
        }
    }
    checks
}

async fn rolled_back_check(observer: &mut Observer, title: &str, statement: &str) -> Evidence {
    let shown = format!("BEGIN; {statement}; ROLLBACK");
    match probe::try_rolled_back(observer, statement).await {
        Ok(()) => Evidence::judged(title, true, "the server accepted it (rolled back)"),
        Err(message) => Evidence::judged(title, false, message),
    }
    .with_query(shown)
}

async fn search_path_check(target: &Target<'_>, observer: &mut Observer) -> Evidence {
    let title = "`search_path` on a migration session";
    let query = "SELECT current_setting('search_path')";
    let set_by = if observer.pooler.is_transaction() {
        "set by `SET LOCAL` in each transaction (transaction-mode pooler)"
    } else {
        "set by `SET search_path` when the session opened"
    };
    let seen = match probe::search_path(observer).await {
        Ok(Some(seen)) => seen,
        Ok(None) => return Evidence::info(title, "not a PostgreSQL session: no `search_path`"),
        Err(err) => return Evidence::failed(title, err.to_string()).with_query(query),
    };
    let rows = vec![vec![Some(seen.clone())]];
    match &target.config.exec.search_path {
        Some(configured) => {
            let held = configured.names() == SearchPath::from(seen.as_str()).names();
            Evidence::judged(title, held, format!("`{seen}`, {set_by}"))
                .with_expected(format!("`{configured}` (`[mig] search_path`)"))
                .with_query(query)
                .with_rows(rows)
        }
        None => Evidence::info(
            title,
            format!("`{seen}` (no `[mig] search_path` configured: the server's default)"),
        )
        .with_query(query)
        .with_rows(rows),
    }
}

async fn extension_checks(
    observer: &mut Observer,
    extensions: &BTreeMap<String, Vec<String>>,
) -> Vec<Evidence> {
    if extensions.is_empty() {
        return vec![Evidence::info(
            "extensions",
            "the revisions create no extension (no `CREATE EXTENSION` statement)",
        )];
    }
    let mut checks = Vec::new();
    for (name, users) in extensions {
        let by = users
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let query = format!(
            "SELECT default_version, installed_version FROM pg_available_extensions WHERE name = '{}'",
            name.replace('\'', "''")
        );
        let title = format!("extension `{name}` is available");
        match probe::extension_availability(&mut observer.conn, name).await {
            Ok(Some(found)) => {
                let installed = found
                    .installed_version
                    .as_deref()
                    .map(|v| format!("installed {v}"))
                    .unwrap_or_else(|| "not installed yet".into());
                checks.push(
                    Evidence::judged(
                        title,
                        true,
                        format!(
                            "default version {}, {installed}; created by {by}",
                            found.default_version.as_deref().unwrap_or("?")
                        ),
                    )
                    .with_query(query),
                );
            }
            Ok(None) => checks.push(
                Evidence::judged(
                    title,
                    false,
                    format!(
                        "not in `pg_available_extensions`: the server cannot install it \
                         (needed by {by})"
                    ),
                )
                .with_query(query),
            ),
            Err(err) => checks.push(Evidence::failed(title, err.to_string()).with_query(query)),
        }
        let statement = format!(
            "CREATE EXTENSION IF NOT EXISTS \"{}\"",
            name.replace('"', "\"\"")
        );
        checks.push(
            rolled_back_check(
                observer,
                &format!("can create extension `{name}`"),
                &statement,
            )
            .await,
        );
    }
    checks
}

async fn time_zone_check(conn: &mut Connection) -> Evidence {
    let title = "server time zone is UTC";
    let query = "SELECT current_setting('TimeZone'), extract(timezone FROM now())";
    match probe::time_zone(conn).await {
        Ok(Some((zone, offset))) => Evidence::new(
            title,
            Mark::judged_soft(offset == 0),
            format!(
                "`TimeZone` = `{zone}`; `now()` is UTC{}{}",
                if offset < 0 { "-" } else { "+" },
                offset_text(offset.abs())
            ),
        )
        .with_query(query),
        Ok(None) => Evidence::info(title, "not a PostgreSQL session"),
        Err(err) => Evidence::failed(title, err.to_string()).with_query(query),
    }
}

fn offset_text(seconds: i64) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    if m == 0 {
        format!("{h}")
    } else {
        format!("{h}:{m:02}")
    }
}

/// The title of the checksum check.
pub const CHECKSUM_TITLE: &str = "checksums of applied revisions match the history table";

/// The target's history table against the revision files: the checksum drift check.
pub async fn checksum_check(target: &Target<'_>) -> Evidence {
    let title = CHECKSUM_TITLE;
    let Some(table) = &target.config.exec.history_table else {
        return Evidence::info(
            title,
            "the history table is disabled (`history_table` is empty)",
        );
    };
    // One read: the version rows and the history rows the drift is judged from.
    let read = match engine::status::read(target.config, target.url).await {
        Ok(read) => read,
        Err(err) => return Evidence::failed(title, err.to_string()),
    };
    let recorded: std::collections::BTreeSet<&str> = read
        .history
        .iter()
        .filter(|r| r.success && r.checksum.is_some())
        .filter_map(|r| r.revision.as_deref())
        .collect();
    if recorded.is_empty() {
        return Evidence::info(
            title,
            format!("`{table}` records no applied revision on the target yet: nothing to compare"),
        );
    }
    let drift = applied(target.map, &read.heads)
        .map(|applied| engine::checksums::judge(&latest_checksums(&read.history), &applied));
    match drift {
        Ok(drift) if drift.is_empty() => Evidence::judged(
            title,
            true,
            format!(
                "{} revisions recorded in `{table}`; every recorded checksum matches its file",
                recorded.len()
            ),
        ),
        Ok(drift) => Evidence::judged(
            title,
            false,
            drift
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Err(err) => Evidence::failed(title, err.to_string()),
    }
}

fn applied<'m>(
    map: &'m crate::revision::graph::RevisionMap,
    heads: &[String],
) -> Result<Vec<&'m Revision>, CommandError> {
    if heads.is_empty() {
        return Ok(vec![]);
    }
    Ok(map
        .history(None, Some("current"), heads)?
        .into_iter()
        .map(|r| r.revision())
        .collect())
}

/// The query and expectation of a DoD check on `dialect`.
pub fn dod_query(check: &DodCheck, dialect: Dialect) -> (String, Expect) {
    match &check.probe {
        Probe::Sql { sql, expect } => (sql.clone(), expect.clone()),
        Probe::Exists(target) => (target.sql(dialect), Expect::NonNull),
    }
}

/// Runs every DoD check on `observer` (each in a transaction that is rolled back).
pub async fn dod_checks(dod: &DodFile, observer: &mut Observer) -> Vec<Evidence> {
    let dialect = observer.conn.dialect();
    let mut checks = Vec::new();
    for check in &dod.checks {
        let (sql, expect) = dod_query(check, dialect);
        let result = probe::text_rows(observer, &sql).await;
        let judged = match result {
            Ok(rows) => {
                let (held, seen) = expect.judge(&rows);
                Evidence::judged(&check.title, held, seen).with_rows(rows)
            }
            Err(message) => Evidence::failed(&check.title, message),
        };
        checks.push(judged.with_query(sql).with_expected(expect.to_string()));
    }
    checks
}

/// Every DoD check marked as not run, with the query it would have run.
pub fn dod_not_run(dod: &DodFile, dialect: Dialect, why: &str) -> Vec<Evidence> {
    dod.checks
        .iter()
        .map(|check| {
            let (sql, expect) = dod_query(check, dialect);
            Evidence::not_run(&check.title, why)
                .with_query(sql)
                .with_expected(expect.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests;
