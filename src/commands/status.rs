//! `mig status [--format json]` (SPEC section 13): every revision in upgrade order with
//! its state (`applied` with when and by whom where the history table knows, `pending`,
//! `interrupted`, `changed` for checksum drift), the heads, and one line `up to date` or
//! `N pending`. The database's side is read once, in one session, by [`look`] (also
//! what `mig current` and `mig check` read): [`crate::engine::status`]'s rows, the
//! interrupted steps with their files and the checksum drift of the applied revisions,
//! judged from the same history rows. The order comes from the upgrade plan from base; a
//! transaction-mode pooler is named (from the read's own session). Returns text or JSON;
//! never prints.

use serde::Serialize;

use crate::db::history::latest_checksums;
use crate::db::HistoryRow;
use crate::engine::unfinished::shown_path;
use crate::engine::{self, Drift, Interrupted};
use crate::revision::plan;

use super::{Error, Project};

/// What the database records, read in one session without the lock, and judged against
/// the project's files.
#[derive(Debug, Clone)]
pub struct Look {
    pub recorded: engine::status::Recorded,
    /// The revisions applied at the version table's rows, base first.
    pub applied: Vec<String>,
    /// The interrupted steps, with their files.
    pub interrupted: Vec<Interrupted>,
    /// Applied revisions whose upgrade section changed since its checksum was recorded.
    pub drift: Vec<Drift>,
}

/// Reads [`Look`] from the configured database.
pub async fn look(project: &Project) -> Result<Look, Error> {
    let url = project.config.database_url()?;
    let recorded = engine::status::read(&project.config, &url)
        .await
        .map_err(|e| Error::Engine(Box::new(e)))?;
    let map = &project.map;
    let applied: Vec<_> = if recorded.heads.is_empty() {
        Vec::new()
    } else {
        map.history(None, Some("current"), &recorded.heads)?
            .into_iter()
            .map(|r| r.revision())
            .collect()
    };
    let drift = engine::checksums::judge(&latest_checksums(&recorded.history), &applied);
    let interrupted = recorded
        .interrupted
        .iter()
        .map(|step| Interrupted::new(step.clone(), map, &project.config.here))
        .collect();
    Ok(Look {
        applied: applied.iter().map(|r| r.id.clone()).collect(),
        interrupted,
        drift,
        recorded,
    })
}

/// A revision's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionState {
    Applied,
    Pending,
    Interrupted,
    /// Applied, but its file changed since (checksum drift).
    Changed,
}

impl RevisionState {
    fn as_str(self) -> &'static str {
        match self {
            RevisionState::Applied => "applied",
            RevisionState::Pending => "pending",
            RevisionState::Interrupted => "interrupted",
            RevisionState::Changed => "changed",
        }
    }
}

/// One revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionStatus {
    pub revision: String,
    pub path: String,
    pub message: String,
    pub state: RevisionState,
    /// When it was applied (`YYYY-MM-DD HH:MM:SS UTC`), from the history table.
    pub applied_at: Option<String>,
    /// Who applied it (`user@host`), from the history table.
    pub applied_by: Option<String>,
    /// For `interrupted` and `changed`: what happened, in words.
    pub detail: Option<String>,
}

/// The whole status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    pub revisions: Vec<RevisionStatus>,
    /// The graph's heads.
    pub heads: Vec<String>,
    /// The version table's rows.
    pub current: Vec<String>,
    pub pending: usize,
    pub interrupted: usize,
    pub changed: usize,
    pub up_to_date: bool,
    /// An interrupted step is recorded and another mig run holds the migration lock now:
    /// the step may still be running.
    pub migration_running: bool,
    /// Whether the target is a transaction-mode pooler (one transaction per unit,
    /// transaction-level lock).
    pub transaction_pooler: bool,
    /// What stands between mig and the server, in words ([`crate::db::Pooler::describe`]).
    pub pooler: String,
}

impl StatusReport {
    /// Whether a deploy has work left (`--exit-code` exits 1): something pending or
    /// interrupted.
    pub fn needs_action(&self) -> bool {
        self.pending > 0 || self.interrupted > 0
    }

    /// The exit code: 1 with `--exit-code` (`requested`) when [`StatusReport::needs_action`].
    pub fn exit_code(&self, requested: bool) -> i32 {
        i32::from(requested && self.needs_action())
    }

    /// The text form.
    pub fn text(&self) -> String {
        let width = self
            .revisions
            .iter()
            .map(|r| r.revision.len())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for r in &self.revisions {
            out.push_str(&format!(
                "{:<11}  {:<width$}  {}",
                r.state.as_str(),
                r.revision,
                r.path
            ));
            match (&r.applied_at, &r.applied_by) {
                (Some(at), Some(by)) => out.push_str(&format!("  applied {at} by {by}")),
                _ if matches!(r.state, RevisionState::Applied | RevisionState::Changed) => {
                    out.push_str("  (no history row: applied by Alembic or stamped)");
                }
                _ => {}
            }
            out.push('\n');
            if let Some(detail) = &r.detail {
                out.push_str(&format!("    {detail}\n"));
            }
        }
        out.push_str(&format!("heads: {}\n", self.heads.join(", ")));
        if self.transaction_pooler {
            out.push_str(&format!("target: {}\n", self.pooler));
        }
        if self.interrupted > 0 {
            out.push_str(&format!("{} interrupted\n", self.interrupted));
        }
        if self.migration_running {
            out.push_str(
                "another mig run holds the migration lock now: an `interrupted` step may \
                 still be running\n",
            );
        }
        if self.up_to_date {
            out.push_str("up to date\n");
        } else {
            out.push_str(&format!("{} pending\n", self.pending + self.interrupted));
        }
        out
    }

    /// The JSON form (pretty, with a final newline).
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}

/// Reads the database and judges every revision of the project.
pub async fn status(project: &Project) -> Result<StatusReport, Error> {
    let Look {
        recorded,
        applied,
        interrupted,
        drift,
    } = look(project).await?;
    let map = &project.map;
    let order: Vec<String> = plan::upgrade(map, &[], "heads")?
        .revisions()
        .map(|revision| revision.id.clone())
        .collect();
    let mut revisions = Vec::with_capacity(order.len());
    for id in order {
        let Some(rev) = map.get_revision(&id).ok().flatten() else {
            continue;
        };
        let revision = rev.revision();
        let stopped = interrupted.iter().find(|i| i.step.revision == id);
        let drifted = drift.iter().find(|d| d.revision == id);
        let is_applied = applied.contains(&id);
        let (state, detail) = match (stopped, is_applied, drifted) {
            (Some(found), _, _) => (RevisionState::Interrupted, Some(found.to_string())),
            (None, true, Some(d)) => (RevisionState::Changed, Some(d.to_string())),
            (None, true, None) => (RevisionState::Applied, None),
            (None, false, _) => (RevisionState::Pending, None),
        };
        let row = match state {
            RevisionState::Applied | RevisionState::Changed => last_applied(&recorded.history, &id),
            _ => None,
        };
        revisions.push(RevisionStatus {
            revision: id.clone(),
            path: shown_path(&revision.path, &project.config.here)
                .display()
                .to_string(),
            message: revision.message.clone(),
            state,
            applied_at: row.map(|r| utc_text(&r.started_at)),
            applied_by: row.map(|r| r.operator.clone()),
            detail,
        });
    }
    let count = |state: RevisionState| revisions.iter().filter(|r| r.state == state).count();
    let (pending, stopped, changed) = (
        count(RevisionState::Pending),
        count(RevisionState::Interrupted),
        count(RevisionState::Changed),
    );
    let mut heads: Vec<String> = map.heads().iter().map(|r| r.id().to_string()).collect();
    heads.sort();
    Ok(StatusReport {
        revisions,
        heads,
        current: recorded.heads,
        pending,
        interrupted: stopped,
        changed,
        up_to_date: pending == 0 && stopped == 0,
        migration_running: recorded.lock_held,
        transaction_pooler: recorded.pooler.is_transaction(),
        pooler: recorded.pooler.describe().to_string(),
    })
}

/// The latest successful row that applied `id`: its upgrade, a `resolve --applied`, or a
/// stamp that names it.
fn last_applied<'h>(history: &'h [HistoryRow], id: &str) -> Option<&'h HistoryRow> {
    history.iter().rev().find(|row| {
        let names = row.revision.as_deref().is_some_and(|r| {
            r == id || (row.direction == "stamp" && r.split(", ").any(|part| part == id))
        });
        let applies = match row.direction.as_str() {
            "upgrade" | "stamp" => true,
            "resolve" => row.progress.as_ref().is_some_and(|p| p.state == "applied"),
            _ => false,
        };
        row.success && names && applies
    })
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` as `YYYY-MM-DD HH:MM:SS UTC`.
fn utc_text(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(at) => at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => at.to_string(),
    }
}
