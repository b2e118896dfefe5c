//! What a seed run and `--list` report, serialisable for `--format json`, with their
//! text renderings. Pure.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::SeedKind;

/// Rows one statement affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRows {
    /// Line in the seed file.
    pub line: usize,
    /// The statement's first keyword, upper-cased (`INSERT`, `UPDATE`, `DELETE`, ...).
    pub verb: String,
    pub rows: u64,
}

/// One seed that ran (or, in a dry run, would run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedRun {
    pub name: String,
    pub kind: SeedKind,
    pub path: PathBuf,
    /// It was applied before and ran again because its file changed (`--sync`) or it
    /// was named.
    pub rerun: bool,
    pub statements: Vec<StatementRows>,
    pub rows: u64,
    pub duration_ms: u64,
    /// Dry run only: not run, because `Transaction: none` cannot be rolled back.
    pub skipped: bool,
}

/// A whole `mig seed` run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedReport {
    pub dry_run: bool,
    pub seeds: Vec<SeedRun>,
}

/// A seed's state in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "state")]
pub enum SeedState {
    Applied {
        applied_at: String,
    },
    Pending,
    /// Applied, and the file changed since.
    Changed {
        applied_at: String,
    },
    /// Pending, and its `Requires:` revision is not applied.
    Blocked {
        needs: String,
    },
}

impl SeedState {
    pub fn text(&self) -> String {
        match self {
            SeedState::Applied { applied_at } => format!("applied {applied_at}"),
            SeedState::Pending => "pending".into(),
            SeedState::Changed { applied_at } => format!("changed (applied {applied_at})"),
            SeedState::Blocked { needs } => format!("blocked: needs revision {needs}"),
        }
    }
}

/// One line of `mig seed --list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// 1-based position in the run order.
    pub order: usize,
    pub name: String,
    pub kind: SeedKind,
    pub path: PathBuf,
    #[serde(flatten)]
    pub state: SeedState,
}

impl SeedReport {
    /// The human summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.seeds.is_empty() {
            out.push_str("No seeds to run: every selected seed is applied.\n");
            return out;
        }
        let verb = if self.dry_run { "Would seed" } else { "Seeded" };
        for seed in &self.seeds {
            if seed.skipped {
                let _ = writeln!(
                    out,
                    "Skipped `{}` ({}): `Transaction: none` cannot run in a rolled-back transaction",
                    seed.name,
                    seed.path.display()
                );
                continue;
            }
            let again = if seed.rerun { ", again" } else { "" };
            let _ = writeln!(
                out,
                "{verb} `{}` ({}, {}{again}): {} rows in {} ms",
                seed.name,
                seed.kind.as_str(),
                seed.path.display(),
                seed.rows,
                seed.duration_ms
            );
            if self.dry_run {
                for statement in &seed.statements {
                    let _ = writeln!(
                        out,
                        "  line {}: {} {} rows",
                        statement.line, statement.verb, statement.rows
                    );
                }
            }
        }
        let ran = self.seeds.iter().filter(|s| !s.skipped).count();
        if self.dry_run {
            let _ = writeln!(
                out,
                "Dry run: {ran} seeds ran in a transaction that was rolled back; nothing was changed."
            );
        } else {
            let _ = writeln!(out, "{ran} seeds applied.");
        }
        out
    }

    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }
}

/// `--list` as text: an aligned table.
pub fn list_text(entries: &[ListEntry]) -> String {
    if entries.is_empty() {
        return "No seed files.\n".into();
    }
    let width = entries
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let mut out = format!("{:>5}  {:width$}  {:8}  state\n", "order", "seed", "kind");
    for entry in entries {
        let _ = writeln!(
            out,
            "{:>5}  {:width$}  {:8}  {} ({})",
            entry.order,
            entry.name,
            entry.kind.as_str(),
            entry.state.text(),
            entry.path.display()
        );
    }
    out
}
