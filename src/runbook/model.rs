//! The runbook as data: every fact the Markdown shows, serialised as the JSON beside it.
//! Built by the commands layer, rendered by [`super::markdown`]; nothing here gathers or
//! formats anything.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evidence::{Evidence, Mark};
use crate::roundtrip::Place;
use crate::seed::{SeedChoice, SeedKind};

/// One runbook.
#[derive(Debug, Clone, Serialize)]
pub struct Runbook {
    pub header: Header,
    pub preflight: Preflight,
    pub connection: Vec<Evidence>,
    /// The stages run against the target, in order; the first records the start state.
    pub stages: Vec<Stage>,
    pub roundtrip: Roundtrip,
    pub constraints: Constraints,
    pub seeds: Seeds,
    pub dod: Dod,
    /// Shell commands that reproduce the run, from the directory of the ini file.
    pub reproduce: Vec<String>,
    /// What stopped the run, if anything did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatal: Option<Fatal>,
    pub summary: Summary,
}

/// Who, what, where and when.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub project: String,
    /// `YYYY-MM-DD HH:MM:SS UTC`; left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub mig_version: String,
    /// `git rev-parse HEAD` of the project (or `not a git repository`); left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// `user@host`; left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The ini file and section.
    pub config: String,
    pub target: TargetInfo,
    /// The server product and version (major only with `--stable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// Through a transaction-mode pooler, what mig does there
    /// ([`crate::db::Pooler::describe`]); left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pooler: Option<String>,
    /// Whether `--stable` left out what varies between runs.
    pub stable: bool,
}

/// The database the runbook ran against.
#[derive(Debug, Clone, Serialize)]
pub struct TargetInfo {
    pub mode: Place,
    /// In words: `a private PostgreSQL server started for this run and removed afterwards`.
    pub description: String,
    /// The URL, password replaced by `***` (left out with `--stable` when it is temporary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The project as configured, before anything connects.
#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    pub checks: Vec<Evidence>,
    /// The configuration keys in effect (after the environment and flags).
    pub settings: Vec<Setting>,
    /// The revisions in upgrade order (load order where the graph does not decide).
    pub revisions: Vec<RevisionRow>,
}

/// One configuration key and its value in effect.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    pub key: String,
    pub value: String,
}

/// One revision file.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionRow {
    pub id: String,
    pub revises: Vec<String>,
    pub message: String,
    /// Relative to the ini file's directory.
    pub file: String,
    /// SHA-256 of the normalised upgrade section (what the history table records).
    pub checksum: String,
}

/// One stage: a command run against the target, its steps and the state after it.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub name: String,
    /// The `mig` command that does the same (`mig upgrade heads`); empty for the start.
    pub command: String,
    /// Pass when every step ran, Fail when one failed, NotRun when an earlier stage failed,
    /// Info for the start state.
    pub status: Mark,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    pub steps: Vec<StepRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StageState>,
}

/// One step (one revision applied or reverted).
#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    /// Alembic's short log: `upgrade 000000000000 -> 251018_initial_baseline, initial baseline`.
    pub step: String,
    pub status: Mark,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// Body statements run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<usize>,
    /// `rolled back`, `committed before the failure`, the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The database after a stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageState {
    /// Catalog objects by kind (`table` -> 6), without the version and history tables.
    pub objects: BTreeMap<String, usize>,
    /// Where the version table is, checked against the configured location.
    pub version_table: Evidence,
    /// The version table's rows.
    pub version_rows: Vec<String>,
}

/// Reversibility: what the downgrades left behind and whether upgrading again gives the
/// same database.
#[derive(Debug, Clone, Serialize)]
pub struct Roundtrip {
    /// Which procedure produced the findings.
    pub procedure: String,
    pub checks: Vec<Evidence>,
    /// The verifier's per-revision summary (empty when it did not run).
    pub revisions: Vec<super::roundtrip_evidence::RevisionOutcome>,
}

/// Constraint evidence from the catalog snapshot at the heads.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Constraints {
    /// Why the section did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
    pub foreign_keys: Vec<ForeignKey>,
    pub unique_keys: Vec<UniqueKey>,
    pub check_constraints: Vec<CheckConstraint>,
    /// One check per configured naming convention.
    pub naming: Vec<Evidence>,
}

/// A foreign key and its delete rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    /// `CASCADE`, `SET NULL`, `RESTRICT`, `NO ACTION`, `SET DEFAULT`.
    pub on_delete: String,
}

/// A unique constraint or unique index (primary keys excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UniqueKey {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
    /// `constraint` or `index`.
    pub via: String,
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckConstraint {
    pub name: String,
    pub table: String,
    pub definition: String,
}

/// The seeds (SPEC section 14) on the target: the files, the chosen ones applied after
/// the verifier (before the DoD checks), and every seed's state after the run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Seeds {
    /// The seed locations (`seed_locations`), relative to the ini file's directory.
    pub locations: Vec<String>,
    /// Which seeds the run applied (`--seed`).
    pub choice: SeedChoice,
    /// Why the seeds were not applied and their states not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
    /// Loading the seed files, and applying the chosen ones.
    pub checks: Vec<Evidence>,
    /// Every seed in run order with its state after the run, as `mig seed --list` reads it.
    pub seeds: Vec<SeedRow>,
}

/// One seed after the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedRow {
    /// 1-based position in the run order.
    pub order: usize,
    pub name: String,
    pub kind: SeedKind,
    /// Relative to the ini file's directory.
    pub file: String,
    /// `applied`, `pending`, `changed` (applied, and the file changed since) or `blocked`.
    pub state: String,
    /// The revision a blocked seed needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    /// When it was applied (UTC); left out with `--stable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
    /// Rows its statements affected, when this run applied it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

/// The user's Definition-of-Done checks.
#[derive(Debug, Clone, Serialize)]
pub struct Dod {
    /// The DoD file, relative to the ini file's directory when inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub checks: Vec<Evidence>,
}

/// What stopped the run.
#[derive(Debug, Clone, Serialize)]
pub struct Fatal {
    /// Where: `connection`, `stage 1: upgrade heads`, ...
    pub at: String,
    pub message: String,
    /// The exit code of the underlying failure (2 configuration, 3 database).
    pub exit_code: i32,
}

/// The outcome in numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Pass when nothing failed and nothing stopped the run; NotRun until summarised.
    pub status: Mark,
    pub exit_code: i32,
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    pub not_run: usize,
    /// `section: title: detail` of each failed check.
    pub failures: Vec<String>,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            status: Mark::NotRun,
            exit_code: 0,
            passed: 0,
            failed: 0,
            warnings: 0,
            not_run: 0,
            failures: Vec::new(),
        }
    }
}

impl Runbook {
    /// Every check and stage outcome with the section it belongs to.
    pub fn outcomes(&self) -> Vec<(&'static str, String, Mark, String)> {
        let mut all = Vec::new();
        let mut push = |section: &'static str, checks: &[Evidence]| {
            for c in checks {
                all.push((section, c.title.clone(), c.status, c.detail.clone()));
            }
        };
        push("preflight", &self.preflight.checks);
        push("connection", &self.connection);
        for stage in &self.stages {
            if let Some(state) = &stage.state {
                push("state", std::slice::from_ref(&state.version_table));
            }
        }
        push("roundtrip", &self.roundtrip.checks);
        push("naming", &self.constraints.naming);
        push("seeds", &self.seeds.checks);
        push("dod", &self.dod.checks);
        for stage in &self.stages {
            if stage.status != Mark::Info {
                all.push((
                    "steps",
                    format!("stage {}", stage.name),
                    stage.status,
                    stage.detail.clone(),
                ));
            }
        }
        all
    }

    /// The verdict in one line, for the console: `PASSED: 57 checks (55 passed, 2
    /// warnings, 0 not run)`, or `FAILED: 5 of 57 checks failed (50 passed, 0 warnings,
    /// 2 not run)` followed by `; stopped at <where>` when something stopped the run.
    /// Information is not counted as a check.
    pub fn verdict(&self) -> String {
        let s = &self.summary;
        let total = s.passed + s.failed + s.warnings + s.not_run;
        let warnings = if s.warnings == 1 {
            "warning"
        } else {
            "warnings"
        };
        let counts = format!(
            "{} passed, {} {warnings}, {} not run",
            s.passed, s.warnings, s.not_run
        );
        let checks = if total == 1 { "check" } else { "checks" };
        let (word, what) = if s.status == Mark::Pass {
            ("PASSED", format!("{total} {checks}"))
        } else {
            ("FAILED", format!("{} of {total} {checks} failed", s.failed))
        };
        let mut line = format!("{word}: {what} ({counts})");
        if let Some(fatal) = &self.fatal {
            line.push_str(&format!("; stopped at {}", fatal.at));
        }
        line
    }

    /// Counts the outcomes and sets [`Runbook::summary`]: exit code of the fatal failure
    /// if there was one, else 1 when a check failed, else 0.
    pub fn summarize(&mut self) {
        let mut summary = Summary::default();
        for (section, title, status, detail) in self.outcomes() {
            match status {
                Mark::Pass => summary.passed += 1,
                Mark::Fail => {
                    summary.failed += 1;
                    summary
                        .failures
                        .push(format!("{section}: {title}: {detail}"));
                }
                Mark::Warn => summary.warnings += 1,
                Mark::NotRun => summary.not_run += 1,
                Mark::Info => {}
            }
        }
        summary.exit_code = match (&self.fatal, summary.failed) {
            (Some(fatal), _) => fatal.exit_code,
            (None, 0) => 0,
            (None, _) => 1,
        };
        summary.status = Mark::judged(summary.exit_code == 0);
        self.summary = summary;
    }
}
