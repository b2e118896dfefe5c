//! Protection (SPEC section 15): the `mig_environment` marker beside the version table,
//! the environment signals that say "production", and the confirmation rules destructive
//! commands (reset, restore) go through: `--confirm <database name>`, `--yes`, or the
//! name typed on a terminal followed by a countdown. Nothing here destroys anything.

mod confirm;
mod marker;

use crate::config::ExecSettings;
use crate::db::audit::{record_run, RunRecord};
use crate::db::history::HistoryKind;
use crate::db::{Connection, DbError};

pub use confirm::{authorize, Confirmation, Terminal, COUNTDOWN_SECONDS};
pub use marker::{database_name, Marker};

use marker::{execute_all, MarkerTable};

pub use crate::config::ENVIRONMENT_TABLE;

/// Why a database counts as protected, if it does.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Protection {
    /// The database's name as the server reports it.
    pub database: String,
    /// `mig protect` marked it.
    pub marker: Option<Marker>,
    /// The environment says production (`MIG_ENV=production`, ...).
    pub environment: Option<String>,
}

impl Protection {
    pub fn is_protected(&self) -> bool {
        self.marker.is_some() || self.environment.is_some()
    }

    /// Why, in words: ``marked by `mig protect` (ops@host, 2025-...: reason)``.
    pub fn reasons(&self) -> String {
        let mut reasons = Vec::new();
        if let Some(marker) = &self.marker {
            let reason = marker
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            reasons.push(format!(
                "marked by `mig protect` ({}, {}{reason})",
                marker.protected_by, marker.protected_at
            ));
        }
        if let Some(signal) = &self.environment {
            reasons.push(format!("the environment says production ({signal})"));
        }
        reasons.join(" and ")
    }
}

/// The environment signal that makes every database protected: `MIG_ENV=production`,
/// `RAILWAY_ENVIRONMENT=production`, or `FLY_APP_NAME` set (seeds 000 and 002).
pub fn environment_signal(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    for key in ["MIG_ENV", "RAILWAY_ENVIRONMENT"] {
        if var(key).is_some_and(|v| v.trim().eq_ignore_ascii_case("production")) {
            return Some(format!("{key}=production"));
        }
    }
    var("FLY_APP_NAME")
        .filter(|v| !v.trim().is_empty())
        .map(|v| format!("FLY_APP_NAME={}", v.trim()))
}

/// The process environment's signal.
pub fn process_signal() -> Option<String> {
    environment_signal(|key| std::env::var(key).ok())
}

/// Reads the database's name and marker, and the process environment's signal.
pub async fn protection(
    conn: &mut Connection,
    settings: &ExecSettings,
) -> Result<Protection, DbError> {
    let database = database_name(conn).await?;
    let marker = MarkerTable::new(conn.dialect(), settings)
        .read(conn)
        .await?;
    Ok(Protection {
        database,
        marker,
        environment: process_signal(),
    })
}

/// What refuses a guarded command before it touches anything (exit 2), or a database
/// error on the way (exit 3).
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error("{0}")]
    Refused(String),
    /// Ctrl-C during the confirmation or the countdown.
    #[error("cancelled: nothing was changed")]
    Cancelled,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl GuardError {
    pub fn exit_code(&self) -> i32 {
        match self {
            GuardError::Refused(_) => 2,
            GuardError::Cancelled => 130,
            GuardError::Database(_) => 3,
        }
    }
}

/// `mig protect`: marks the database (replacing an older marker) and records it.
pub async fn protect(
    conn: &mut Connection,
    settings: &ExecSettings,
    reason: Option<&str>,
) -> Result<Protection, GuardError> {
    let record = RunRecord::start(HistoryKind::Protect);
    let database = database_name(conn).await?;
    let table = MarkerTable::new(conn.dialect(), settings);
    execute_all(
        conn,
        &table.protect_sql(&database, reason),
        "protecting the database",
    )
    .await?;
    let summary = match reason {
        Some(reason) => format!("protected `{database}`: {reason}"),
        None => format!("protected `{database}`"),
    };
    record_run(conn, settings, &RunRecord { summary, ..record }.finish()).await?;
    Ok(protection(conn, settings).await?)
}

/// `mig unprotect --confirm NAME`: removes the marker when `confirm` is the database's
/// name (else refused, nothing touched), and records it. The environment's signal, if
/// any, still protects the database afterwards (the returned [`Protection`] says so).
pub async fn unprotect(
    conn: &mut Connection,
    settings: &ExecSettings,
    confirm: &str,
) -> Result<Protection, GuardError> {
    let record = RunRecord::start(HistoryKind::Protect);
    let before = protection(conn, settings).await?;
    if confirm != before.database {
        return Err(GuardError::Refused(format!(
            "`--confirm {confirm}` is not the database's name `{}`; nothing was changed",
            before.database
        )));
    }
    if before.marker.is_some() {
        let table = MarkerTable::new(conn.dialect(), settings);
        execute_all(conn, &[table.unprotect_sql()], "unprotecting the database").await?;
        let summary = format!("unprotected `{}`", before.database);
        record_run(conn, settings, &RunRecord { summary, ..record }.finish()).await?;
    }
    Ok(protection(conn, settings).await?)
}

#[cfg(test)]
mod tests;
