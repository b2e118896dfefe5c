//! The text of a reset report. Pure.

use std::fmt::Write as _;

use super::ResetReport;

impl ResetReport {
    /// The human summary: what was (or would be) dropped or emptied with rows, the
    /// revisions and seeds that ran, the backup, and the time taken.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let would = |done: &'static str, dry: &'static str| if self.dry_run { dry } else { done };
        let _ = writeln!(
            out,
            "{} `{}` with strategy {}:",
            would("Reset", "Dry run: would reset"),
            self.database,
            self.strategy.as_str()
        );
        match &self.backup {
            Some(path) => {
                let _ = writeln!(
                    out,
                    "  backup: {} {}",
                    would("written to", "would be written to"),
                    path.display()
                );
            }
            None => out.push_str("  backup: none (--no-backup)\n"),
        }
        for item in &self.dropped {
            let rows = item
                .rows
                .map(|r| format!(" ({r} rows)"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} {}{rows}", would("dropped", "drop"), item.object);
        }
        for item in &self.emptied {
            let _ = writeln!(
                out,
                "  {} table {} ({} rows)",
                would("emptied", "empty"),
                item.table,
                item.rows
            );
        }
        for id in &self.reverted {
            let _ = writeln!(out, "  {} {id}", would("reverted", "revert"));
        }
        for id in &self.applied {
            let _ = writeln!(out, "  {} {id}", would("applied", "apply"));
        }
        match &self.seed_report {
            Some(seeds) => {
                for run in &seeds.seeds {
                    let _ = writeln!(out, "  seeded {} ({} rows)", run.name, run.rows);
                }
            }
            None => {
                for name in &self.seeds {
                    let _ = writeln!(out, "  {} {name}", would("seeded", "seed"));
                }
            }
        }
        if self.dry_run {
            out.push_str("Nothing was changed.\n");
        } else {
            let _ = writeln!(out, "Done in {} ms.", self.duration_ms);
        }
        out
    }
}
