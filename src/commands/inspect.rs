//! `heads`, `branches`, `history`, `show`: the graph printed as Alembic prints it
//! (`Script.cmd_format` / `log_entry`), or as JSON; and `check`'s JSON report.

use serde::Serialize;

use crate::revision::graph::{parse_history_range, RevisionMap, RevisionRef};

use super::Error;

/// How one revision line is decorated (Alembic's `_head_only` flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineStyle {
    pub branches: bool,
    pub doc: bool,
    pub parents: bool,
    pub tree_indicators: bool,
    pub head_indicators: bool,
}

/// The ids a revision upgrades from, comma-joined, or `<base>`.
fn down_text(rev: &RevisionRef<'_>) -> String {
    let down = rev.down_revisions();
    if down.is_empty() {
        "<base>".into()
    } else {
        down.join(", ")
    }
}

/// Alembic's one-line form of a revision.
pub fn line(rev: &RevisionRef<'_>, style: LineStyle, current: bool) -> String {
    let mut text = rev.id().to_string();
    if style.parents {
        let deps = rev.revision().depends_on.join(", ");
        text = if deps.is_empty() {
            format!("{} -> {text}", down_text(rev))
        } else {
            format!("{} ({deps}) -> {text}", down_text(rev))
        };
    }
    if style.branches && !rev.branch_labels().is_empty() {
        text.push_str(&format!(" ({})", rev.branch_labels().join(", ")));
    }
    if style.head_indicators || style.tree_indicators {
        if rev.is_real_head() {
            text.push_str(" (head)");
        }
        if rev.is_effective_head() {
            text.push_str(" (effective head)");
        }
        if current {
            text.push_str(" (current)");
        }
    }
    if style.tree_indicators {
        if rev.is_branch_point() {
            text.push_str(" (branchpoint)");
        }
        if rev.is_merge_point() {
            text.push_str(" (mergepoint)");
        }
    }
    if style.doc {
        text.push_str(", ");
        text.push_str(&rev.revision().message);
    }
    text
}

/// Alembic's verbose block (`log_entry`), ending with an empty line.
pub fn entry(rev: &RevisionRef<'_>, current: bool) -> String {
    let mut s = format!(
        "Rev: {}{}{}{}{}\n",
        rev.id(),
        if rev.is_head() { " (head)" } else { "" },
        if rev.is_branch_point() {
            " (branchpoint)"
        } else {
            ""
        },
        if rev.is_merge_point() {
            " (mergepoint)"
        } else {
            ""
        },
        if current { " (current)" } else { "" },
    );
    if rev.is_merge_point() {
        s.push_str(&format!("Merges: {}\n", down_text(rev)));
    } else {
        s.push_str(&format!("Parent: {}\n", down_text(rev)));
    }
    let deps = &rev.revision().depends_on;
    if !deps.is_empty() {
        s.push_str(&format!("Also depends on: {}\n", deps.join(", ")));
    }
    if rev.is_branch_point() {
        s.push_str(&format!("Branches into: {}\n", rev.children().join(", ")));
    }
    if !rev.branch_labels().is_empty() {
        s.push_str(&format!(
            "Branch names: {}\n",
            rev.branch_labels().join(", ")
        ));
    }
    s.push_str(&format!("Path: {}\n\n", rev.revision().path.display()));
    for line in header_doc(rev).lines() {
        s.push_str("    ");
        s.push_str(line);
        s.push('\n');
    }
    s
}

/// The revision's header comment block without the `-- ` markers: mig's counterpart of
/// the docstring Alembic indents under a verbose entry.
fn header_doc(rev: &RevisionRef<'_>) -> String {
    let r = rev.revision();
    let mut doc = format!(
        "{}\n\nRevision ID: {}\nRevises: {}\n",
        r.message,
        r.id,
        r.down_revisions.join(", ")
    );
    if let Some(date) = &r.create_date {
        doc.push_str(&format!("Create Date: {date}\n"));
    }
    doc
}

/// One revision as JSON.
#[derive(Debug, Serialize)]
pub struct RevisionJson<'a> {
    pub revision: &'a str,
    pub down_revisions: Vec<&'a str>,
    pub depends_on: &'a [String],
    pub branch_labels: &'a [String],
    pub message: &'a str,
    pub path: String,
    pub is_head: bool,
    pub is_effective_head: bool,
    pub is_branch_point: bool,
    pub is_merge_point: bool,
    pub is_current: bool,
}

pub fn json<'a>(rev: &RevisionRef<'a>, current: bool) -> RevisionJson<'a> {
    RevisionJson {
        revision: rev.id(),
        down_revisions: rev.down_revisions(),
        depends_on: &rev.revision().depends_on,
        branch_labels: rev.branch_labels(),
        message: &rev.revision().message,
        path: rev.revision().path.display().to_string(),
        is_head: rev.is_real_head(),
        is_effective_head: rev.is_effective_head(),
        is_branch_point: rev.is_branch_point(),
        is_merge_point: rev.is_merge_point(),
        is_current: current,
    }
}

/// Renders a list of revisions as text lines or verbose entries, or JSON.
fn render<'a>(
    revs: &[RevisionRef<'a>],
    verbose: bool,
    style: LineStyle,
    current: &[String],
    as_json: bool,
) -> String {
    let is_current = |r: &RevisionRef<'_>| current.iter().any(|c| c == r.id());
    if as_json {
        let list: Vec<_> = revs.iter().map(|r| json(r, is_current(r))).collect();
        return crate::json::pretty(&list);
    }
    let mut out = String::new();
    for r in revs {
        if verbose {
            out.push_str(&entry(r, is_current(r)));
        } else {
            out.push_str(&line(r, style, is_current(r)));
        }
        out.push('\n');
    }
    out
}

/// `mig check --format json`: `{"ok": bool, "problems": [...]}`, one string per problem
/// (the lines the text form prints).
pub fn check_json(problems: &[String]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        ok: bool,
        problems: &'a [String],
    }
    crate::json::pretty(&Report {
        ok: problems.is_empty(),
        problems,
    })
}

/// `mig heads [--verbose] [--resolve-dependencies]`.
pub fn heads(
    map: &RevisionMap,
    verbose: bool,
    resolve_dependencies: bool,
    as_json: bool,
) -> String {
    let heads = if resolve_dependencies {
        map.real_heads()
    } else {
        map.heads()
    };
    let style = LineStyle {
        branches: true,
        head_indicators: true,
        ..LineStyle::default()
    };
    render(&heads, verbose, style, &[], as_json)
}

/// What `mig history` needs from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HistoryNeeds {
    /// The version rows: a side of the range is `current` (Alembic then reads the
    /// database) or `-i` was given.
    pub rows: bool,
    /// Mark the current revisions with `(current)` (`-i`).
    pub indicate_current: bool,
}

/// Whether `mig history -r RANGE [-i]` reads the database, as Alembic decides it.
pub fn history_needs(range: Option<&str>, indicate_current: bool) -> Result<HistoryNeeds, Error> {
    let (start, end) = match range {
        Some(r) => parse_history_range(r)?,
        None => (None, None),
    };
    let names_current = [start, end].iter().flatten().any(|side| side == "current");
    Ok(HistoryNeeds {
        rows: names_current || indicate_current,
        indicate_current,
    })
}

/// `mig history [-r RANGE] [--verbose]`; `rows` are the database's version rows (used
/// for a `current` side of the range), marked `(current)` when `needs.indicate_current`.
pub fn history(
    map: &RevisionMap,
    range: Option<&str>,
    verbose: bool,
    rows: &[String],
    needs: HistoryNeeds,
    as_json: bool,
) -> Result<String, Error> {
    let (start, end) = match range {
        Some(r) => parse_history_range(r)?,
        None => (None, None),
    };
    let revs = map.history(start.as_deref(), end.as_deref(), rows)?;
    let current = if needs.indicate_current { rows } else { &[] };
    let style = LineStyle {
        branches: true,
        doc: true,
        parents: true,
        tree_indicators: true,
        head_indicators: true,
    };
    Ok(render(&revs, verbose, style, current, as_json))
}

/// `mig show REV`: the verbose entry of each revision `REV` names.
pub fn show(map: &RevisionMap, spec: &str, as_json: bool) -> Result<String, Error> {
    let revs = map
        .get_revisions(spec)
        .map_err(|e| Error::Command(e.into_command()))?;
    Ok(render(&revs, true, LineStyle::default(), &[], as_json))
}

/// `mig branches [--verbose]`: each branch point with the revisions it branches into.
pub fn branches(map: &RevisionMap, verbose: bool, as_json: bool) -> Result<String, Error> {
    let points: Vec<_> = map
        .history(None, None, &[])?
        .into_iter()
        .filter(|r| r.is_branch_point())
        .collect();
    if as_json {
        return Ok(render(&points, verbose, LineStyle::default(), &[], true));
    }
    let head_style = LineStyle {
        branches: true,
        tree_indicators: true,
        head_indicators: true,
        ..LineStyle::default()
    };
    let child_style = LineStyle {
        doc: verbose,
        ..head_style
    };
    let mut out = String::new();
    for p in points {
        out.push_str(&if verbose {
            entry(&p, false)
        } else {
            line(&p, head_style, false)
        });
        out.push('\n');
        let pad = " ".repeat(p.id().len());
        let children: Vec<String> = p
            .children()
            .into_iter()
            .filter_map(|c| map.get(c))
            .map(|c| format!("{pad} -> {}", line(&c, child_style, false)))
            .collect();
        out.push_str(&children.join("\n"));
        out.push_str("\n\n");
    }
    Ok(out)
}
