//! Helpers for the roundtrip tests: the fixture library, projects written on the fly,
//! the library entry point on a scratch database, and checking that a report names an
//! object and a revision on one line.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mig::commands::Project;
use mig::config::LoadOptions;
use mig::roundtrip::{self, Options, Place, Report};

use crate::support::{self, repo};

/// `tests/fixtures/roundtrip`.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/roundtrip")
}

/// The revision and the finding `cases.txt` lists for a PostgreSQL case.
pub fn expected(case: &str) -> (String, String) {
    let listing = std::fs::read_to_string(fixtures().join("cases.txt")).expect("cases.txt");
    listing
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .find(|(name, _, _)| *name == case)
        .map(|(_, rev, finding)| (rev.to_string(), finding.to_string()))
        .unwrap_or_else(|| panic!("case `{case}` is not in cases.txt"))
}

/// Whether one line of a text report names both the revision and the finding.
pub fn names(report: &str, revision: &str, finding: &str) -> bool {
    report
        .lines()
        .any(|line| line.contains(&format!("`{revision}`")) && line.contains(finding))
}

/// Loads the project of `ini` (section `section`) pointed at the test server.
pub fn project(ini: &Path, section: &str) -> Project {
    let mut opts = LoadOptions::new(ini.parent().unwrap(), BTreeMap::new());
    opts.config = Some(ini.to_path_buf());
    opts.section = Some(section.to_string());
    opts.url = Some(support::server_url());
    Project::load(&opts).unwrap_or_else(|e| panic!("{}: {e}", ini.display()))
}

pub async fn verify(project: &Project, opts: &Options) -> Report {
    roundtrip::run(
        &project.config,
        &project.map,
        Place::Scratch,
        opts,
        std::future::pending(),
    )
    .await
    .unwrap_or_else(|e| panic!("roundtrip: {e}"))
}

/// `(revision or "-", check, status)` per check, and each finding's headline.
pub fn outline(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for check in &report.checks {
        lines.push(format!(
            "{} {} {}",
            check.revision.as_deref().unwrap_or("-"),
            check.check,
            check.status
        ));
        for finding in &check.findings {
            lines.push(format!("  {}", finding.headline()));
        }
        if let Some(reason) = &check.reason {
            lines.push(format!(
                "  reason: {}",
                reason.lines().next().unwrap_or_default()
            ));
        }
        if let Some(note) = &check.note {
            lines.push(format!("  note: {note}"));
        }
    }
    lines
}

/// Writes a project: `alembic.ini` (with `extra` in `[mig]`) and the revision files.
pub fn write_project(
    dir: &Path,
    extra: &str,
    revisions: &[(&str, &str, &str, &str)],
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\n\
             [mig]\ndialect = postgresql\n{extra}\n"
        ),
    )
    .unwrap();
    let mut down = "";
    for (id, header, up, downgrade) in revisions {
        // A header naming its own parents makes branches; otherwise the list is a chain.
        let revises = if header.contains("-- Revises:") {
            String::new()
        } else {
            format!("-- Revises: {down}\n")
        };
        let text = format!(
            "-- {id}\n--\n-- Revision ID: {id}\n{revises}{header}\n\
             -- migrate:upgrade\n{up}\n\n-- migrate:downgrade{downgrade}\n"
        );
        std::fs::write(dir.join("versions").join(format!("{id}.sql")), text).unwrap();
        down = id;
    }
    dir.join("alembic.ini")
}
