//! The report of `mig import alembic`: what was converted, skipped and made
//! irreversible, and the equivalence checks, as text or JSON. Rendering only.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::check::CheckItem;

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The Alembic project's ini file.
    pub source: PathBuf,
    /// The converted project's directory.
    pub out: PathBuf,
    pub alembic_version: String,
    pub dialect: String,
    /// Every revision written, in Alembic's order (newest first).
    pub revisions: Vec<ReportRevision>,
    pub checks: Vec<CheckItem>,
    /// Seconds Alembic spent rendering every revision both ways (one Python process).
    pub render_seconds: f64,
}

/// One written revision.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRevision {
    pub id: String,
    pub file: PathBuf,
    /// `converted`, `irreversible` or `skipped`.
    pub status: &'static str,
    /// Why irreversible or skipped (Alembic's error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `Transaction: none` (the module uses `autocommit_block()`).
    pub no_transaction: bool,
}

impl ImportReport {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// SPEC section 5: 1 when a check found the result different from Alembic.
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.ok())
    }

    fn with_status(&self, status: &str) -> Vec<&ReportRevision> {
        self.revisions
            .iter()
            .filter(|r| r.status == status)
            .collect()
    }

    /// The text report.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Imported {} revisions from {} (Alembic {}, {}) into {}",
            self.revisions.len(),
            self.source.display(),
            self.alembic_version,
            self.dialect,
            self.out.display()
        );
        let skipped = self.with_status("skipped");
        let irreversible = self.with_status("irreversible");
        let _ = writeln!(
            s,
            "  converted: {}, irreversible: {}, skipped: {}",
            self.revisions.len() - skipped.len(),
            irreversible.len(),
            skipped.len()
        );
        for r in &irreversible {
            let _ = writeln!(
                s,
                "  irreversible {}: {}",
                r.id,
                r.reason.as_deref().unwrap_or("")
            );
        }
        for r in &skipped {
            let _ = writeln!(
                s,
                "  SKIPPED {} ({}): -- TODO body written; Alembic: {}",
                r.id,
                r.file.display(),
                r.reason.as_deref().unwrap_or("")
            );
        }
        let none: Vec<&str> = self
            .revisions
            .iter()
            .filter(|r| r.no_transaction)
            .map(|r| r.id.as_str())
            .collect();
        if !none.is_empty() {
            let _ = writeln!(
                s,
                "  Transaction: none (autocommit_block): {}",
                none.join(", ")
            );
        }
        for c in &self.checks {
            match &c.detail {
                None => {
                    let _ = writeln!(s, "check {}: same as Alembic", c.name);
                }
                Some(d) => {
                    let _ = writeln!(s, "check {}: DIFFERENT from Alembic: {d}", c.name);
                }
            }
        }
        if !skipped.is_empty() {
            let _ = writeln!(
                s,
                "  (the bodies of skipped revisions are not compared: Alembic cannot render them)"
            );
        }
        s
    }

    /// The JSON report.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}
