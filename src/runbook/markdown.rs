//! Renders each runbook section as Markdown, for the template's placeholders. Pure
//! formatting: every fact comes from the [`Runbook`] model, nothing is judged here.

use std::fmt::Write as _;

mod seeds;
mod stages;

use super::evidence::{Evidence, Mark};
use super::model::Runbook;
use seeds::seeds;
use stages::{states, steps};

/// The Markdown for placeholder `name` (empty for an unknown one; templates are checked
/// before rendering).
pub fn section(runbook: &Runbook, name: &str) -> String {
    match name {
        "project" => runbook.header.project.clone(),
        "legend" => legend(),
        "header" => header(runbook),
        "summary" => summary(runbook),
        "preflight" => preflight(runbook),
        "connection" => checks(&runbook.connection),
        "steps" => steps(runbook),
        "states" => states(runbook),
        "roundtrip" => roundtrip(runbook),
        "constraints" => constraints(runbook),
        "seeds" => seeds(runbook),
        "dod" => dod(runbook),
        "reproduce" => reproduce(runbook),
        _ => String::new(),
    }
}

fn legend() -> String {
    format!(
        "Marks: {} ran and held · {} ran and failed · {} ran, worth a look · {} did not run · {} recorded fact",
        Mark::Pass.icon(),
        Mark::Fail.icon(),
        Mark::Warn.icon(),
        Mark::NotRun.icon(),
        Mark::Info.icon()
    )
}

fn header(runbook: &Runbook) -> String {
    let h = &runbook.header;
    let mut rows: Vec<(&str, String)> = vec![("Project", h.project.clone())];
    if let Some(at) = &h.generated_at {
        rows.push(("Generated (UTC)", at.clone()));
    }
    rows.push(("mig", h.mig_version.clone()));
    if let Some(commit) = &h.git_commit {
        rows.push(("Project commit", commit.clone()));
    }
    if let Some(operator) = &h.operator {
        rows.push(("Operator", operator.clone()));
    }
    rows.push(("Configuration", h.config.clone()));
    let mut target = format!("{} (`{}`)", h.target.description, h.target.mode.flag());
    if let Some(url) = &h.target.url {
        let _ = write!(target, ": {}", code(url));
    }
    rows.push(("Target", target));
    rows.push((
        "Server",
        h.server_version
            .clone()
            .unwrap_or_else(|| "unknown (not connected)".into()),
    ));
    if let Some(pooler) = &h.pooler {
        rows.push(("Pooler", pooler.clone()));
    }
    let mut out = String::from("| | |\n|---|---|\n");
    for (key, value) in rows {
        let _ = writeln!(out, "| {key} | {} |", cell(&value));
    }
    if h.stable {
        out.push_str(
            "\nGenerated with `--stable`: times, durations, dates, the operator, the git \
             commit, the server's minor version and temporary paths are left out.\n",
        );
    }
    out
}

fn summary(runbook: &Runbook) -> String {
    let s = &runbook.summary;
    let verdict = if s.exit_code == 0 {
        format!("**{} PASSED**", Mark::Pass.icon())
    } else {
        format!("**{} FAILED**", Mark::Fail.icon())
    };
    let mut out = verdict;
    if let Some(fatal) = &runbook.fatal {
        let first = fatal.message.lines().next().unwrap_or_default();
        let _ = write!(out, ": stopped at {}: {}", fatal.at, first);
    }
    let warnings = if s.warnings == 1 {
        "warning"
    } else {
        "warnings"
    };
    let _ = writeln!(
        out,
        "\n\n{} passed · {} failed · {} {warnings} · {} not run · exit code {}",
        s.passed, s.failed, s.warnings, s.not_run, s.exit_code
    );
    if !s.failures.is_empty() {
        out.push_str("\nFailed:\n\n");
        for failure in &s.failures {
            let _ = writeln!(out, "- {}", one_line(failure));
        }
    }
    out
}

fn preflight(runbook: &Runbook) -> String {
    let p = &runbook.preflight;
    let mut out = checks(&p.checks);
    out.push_str("\n### Settings in effect\n\n| key | value |\n|---|---|\n");
    for s in &p.settings {
        let _ = writeln!(out, "| `{}` | {} |", s.key, cell(&code(&s.value)));
    }
    out.push_str("\n### Revisions (upgrade order)\n\n");
    if p.revisions.is_empty() {
        out.push_str("none loaded\n");
        return out;
    }
    out.push_str("| # | revision | revises | message | file | upgrade checksum |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for (n, r) in p.revisions.iter().enumerate() {
        let revises = if r.revises.is_empty() {
            "(base)".to_string()
        } else {
            r.revises
                .iter()
                .map(|id| code(id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | `{}` |",
            n + 1,
            code(&r.id),
            revises,
            cell(&r.message),
            cell(&code(&r.file)),
            r.checksum.get(..12).unwrap_or(&r.checksum)
        );
    }
    out
}

fn roundtrip(runbook: &Runbook) -> String {
    let r = &runbook.roundtrip;
    let mut out = format!("{}\n\n", r.procedure);
    if !r.revisions.is_empty() {
        let timed = r.revisions.iter().any(|rev| rev.duration_ms.is_some());
        out.push_str(if timed {
            "| | revision | message | verdict | time |\n|---|---|---|---|---:|\n"
        } else {
            "| | revision | message | verdict |\n|---|---|---|---|\n"
        });
        for rev in &r.revisions {
            let _ = write!(
                out,
                "| {} | {} | {} | {} |",
                rev.status.icon(),
                code(&rev.revision),
                cell(&rev.message),
                rev.verdict
            );
            if timed {
                let ms = rev
                    .duration_ms
                    .map(|ms| format!("{ms:.0} ms"))
                    .unwrap_or_default();
                let _ = write!(out, " {ms} |");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&checks(&r.checks));
    out
}

fn constraints(runbook: &Runbook) -> String {
    let c = &runbook.constraints;
    if let Some(why) = &c.not_run {
        return format!("{} not run: {why}\n", Mark::NotRun.icon());
    }
    let mut out = String::from(
        "From the catalog snapshot at the heads; listed as evidence (the DoD checks below \
         judge the ones that matter), naming conventions judged.\n\n### Foreign keys and delete rules\n\n",
    );
    if c.foreign_keys.is_empty() {
        out.push_str("none\n");
    } else {
        out.push_str(
            "| table | constraint | columns | references | on delete |\n|---|---|---|---|---|\n",
        );
        for fk in &c.foreign_keys {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}({}) | {} |",
                code(&fk.table),
                code(&fk.name),
                fk.columns.join(", "),
                code(&fk.referred_table),
                fk.referred_columns.join(", "),
                fk.on_delete
            );
        }
    }
    out.push_str("\n### Unique keys\n\n");
    if c.unique_keys.is_empty() {
        out.push_str("none\n");
    } else {
        out.push_str("| table | name | columns | as |\n|---|---|---|---|\n");
        for k in &c.unique_keys {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&k.table),
                code(&k.name),
                k.columns.join(", "),
                k.via
            );
        }
    }
    out.push_str("\n### Check constraints\n\n");
    if c.check_constraints.is_empty() {
        out.push_str("none\n");
    } else {
        out.push_str("| table | name | definition |\n|---|---|---|\n");
        for k in &c.check_constraints {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&k.table),
                code(&k.name),
                cell(&code(&k.definition))
            );
        }
    }
    out.push_str("\n### Naming conventions\n\n");
    out.push_str(&checks(&c.naming));
    out
}

fn dod(runbook: &Runbook) -> String {
    let d = &runbook.dod;
    match &d.file {
        Some(file) => format!("Checks from {}.\n\n{}", code(file), checks(&d.checks)),
        None => "No DoD file: pass `--dod FILE`, or put `dod.toml` beside the ini file.\n".into(),
    }
}

fn reproduce(runbook: &Runbook) -> String {
    let mut out = String::from("From the directory of the ini file:\n\n```sh\n");
    for line in &runbook.reproduce {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("```\n");
    out
}

/// A list of checks, each with its evidence.
pub(super) fn checks(list: &[Evidence]) -> String {
    let mut out = String::new();
    for c in list {
        let mut line = format!("- {} **{}**", c.status.icon(), c.title);
        if !c.detail.is_empty() {
            let _ = write!(line, ": {}", one_line(&c.detail));
        }
        if let Some(expected) = &c.expected {
            let _ = write!(line, " (expected {expected})");
        }
        let _ = writeln!(out, "{line}");
        if let Some(query) = &c.query {
            if query.contains('\n') {
                let _ = writeln!(out, "\n  ```sql");
                for l in query.lines() {
                    let _ = writeln!(out, "  {l}");
                }
                let _ = writeln!(out, "  ```\n");
            } else {
                let _ = writeln!(out, "  - query: {}", code(query));
            }
        }
        if let Some(rows) = &c.rows {
            let shown: Vec<String> = rows
                .iter()
                .take(MAX_ROWS)
                .map(|row| {
                    row.iter()
                        .map(|v| v.as_deref().unwrap_or("NULL"))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect();
            match shown.as_slice() {
                [] => {
                    let _ = writeln!(out, "  - result: no rows");
                }
                [one] => {
                    let _ = writeln!(out, "  - result: {}", code(one));
                }
                many => {
                    let _ = writeln!(out, "  - result ({} rows):", rows.len());
                    for row in many {
                        let _ = writeln!(out, "    - {}", code(row));
                    }
                    if rows.len() > MAX_ROWS {
                        let _ = writeln!(out, "    - ... {} more", rows.len() - MAX_ROWS);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.push_str("none\n");
    }
    out
}

/// Rows of a query result shown in full; the JSON has them all.
const MAX_ROWS: usize = 20;

/// Inline code that survives backticks in the text.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Text safe inside a table cell.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// The text on one line (a list item).
pub(super) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests;
