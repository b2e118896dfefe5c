//! The stage sections: each stage's steps (with times and durations unless `--stable`),
//! and the state after each stage side by side. Pure formatting.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{cell, code, one_line};
use crate::runbook::evidence::Mark;
use crate::runbook::model::{Runbook, Stage};

/// Each stage with its label: `start` for the start state, `1: upgrade heads` after it.
fn numbered(runbook: &Runbook) -> Vec<(String, &Stage)> {
    let mut n = 0;
    runbook
        .stages
        .iter()
        .map(|stage| {
            if stage.status == Mark::Info {
                (stage.name.clone(), stage)
            } else {
                n += 1;
                (format!("{n}: {}", stage.name), stage)
            }
        })
        .collect()
}

pub(super) fn steps(runbook: &Runbook) -> String {
    let mut out = String::new();
    for (label, stage) in numbered(runbook) {
        if stage.status == Mark::Info {
            continue;
        }
        let _ = writeln!(out, "### Stage {label} {}\n", stage.status.icon());
        let mut facts = vec![code(&stage.command)];
        if let Some(at) = &stage.started_at {
            facts.push(format!("started {at}"));
        }
        if let Some(ms) = stage.duration_ms {
            facts.push(format!("{ms:.1} ms"));
        }
        facts.push(stage.detail.lines().next().unwrap_or_default().to_string());
        let _ = writeln!(out, "{}\n", facts.join(" · "));
        if stage.status == Mark::NotRun {
            continue;
        }
        let table = step_table(stage);
        out.push_str(&table);
        if stage.status == Mark::Fail && stage.detail.lines().count() > 1 {
            let _ = writeln!(out, "\n```text\n{}\n```", stage.detail);
        }
        if !table.is_empty() {
            out.push('\n');
        }
    }
    if out.is_empty() {
        out.push_str("No stage ran.\n");
    }
    out
}

fn step_table(stage: &Stage) -> String {
    if stage.steps.is_empty() {
        // The stage's line already says why (nothing to do, or the verifier's checks).
        return String::new();
    }
    let timed = stage.steps.iter().any(|s| s.started_at.is_some());
    let mut out = String::new();
    if timed {
        out.push_str("| | step | started (UTC) | duration | statements | note |\n|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| | step | statements | note |\n|---|---|---|---|\n");
    }
    for step in &stage.steps {
        let statements = step.statements.map(|n| n.to_string()).unwrap_or_default();
        let note = step.note.as_deref().map(one_line).unwrap_or_default();
        if timed {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                step.status.icon(),
                cell(&step.step),
                step.started_at.as_deref().unwrap_or_default(),
                step.duration_ms
                    .map(|ms| format!("{ms:.1} ms"))
                    .unwrap_or_default(),
                statements,
                cell(&note)
            );
        } else {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                step.status.icon(),
                cell(&step.step),
                statements,
                cell(&note)
            );
        }
    }
    out
}

pub(super) fn states(runbook: &Runbook) -> String {
    let stages: Vec<(String, &Stage)> = numbered(runbook)
        .into_iter()
        .filter(|(_, s)| s.state.is_some())
        .collect();
    if stages.is_empty() {
        return "No state was recorded.\n".into();
    }
    let kinds: BTreeSet<&String> = stages
        .iter()
        .filter_map(|(_, s)| s.state.as_ref())
        .flat_map(|state| state.objects.keys())
        .collect();
    let mut out = String::from(
        "Catalog objects by kind (the version and history tables excluded):\n\n| kind |",
    );
    for (label, _) in &stages {
        let _ = write!(out, " {label} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(stages.len()));
    out.push('\n');
    for kind in &kinds {
        let _ = write!(out, "| {kind} |");
        for (_, stage) in &stages {
            let count = stage
                .state
                .as_ref()
                .and_then(|s| s.objects.get(*kind))
                .copied()
                .unwrap_or(0);
            let _ = write!(out, " {count} |");
        }
        out.push('\n');
    }
    if kinds.is_empty() {
        out.push_str("| (none) |");
        out.push_str(&" 0 |".repeat(stages.len()));
        out.push('\n');
    }
    out.push_str("\nVersion table:\n\n");
    for (label, stage) in &stages {
        if let Some(state) = &stage.state {
            let rows = if state.version_rows.is_empty() {
                "no rows".to_string()
            } else {
                format!(
                    "rows {}",
                    state
                        .version_rows
                        .iter()
                        .map(|r| code(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(
                out,
                "- {} **{}**: {}; {rows}",
                state.version_table.status.icon(),
                label,
                one_line(&state.version_table.detail)
            );
        }
    }
    out
}
