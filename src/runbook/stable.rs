//! `--stable` and the last pass over the rendered text: `--stable` drops what varies
//! between runs (times, durations, dates, operator, git commit, the server's minor
//! version, temporary URLs); the scrubber makes paths relative to the project, replaces
//! the temp directory with `$TMPDIR` (stable only) and, as a last line of defence,
//! masks the database password wherever it might still appear. Pure.

use std::path::Path;

use super::model::Runbook;
use crate::roundtrip::Place;
use crate::url::Secret;

/// Leaves out of `runbook` everything that varies between runs.
pub fn stabilize(runbook: &mut Runbook) {
    let header = &mut runbook.header;
    header.stable = true;
    header.generated_at = None;
    header.git_commit = None;
    header.operator = None;
    header.server_version = header.server_version.as_deref().map(major_version);
    if header.target.mode != Place::InPlace {
        header.target.url = None;
    }
    for seed in &mut runbook.seeds.seeds {
        seed.applied_at = None;
    }
    for revision in &mut runbook.roundtrip.revisions {
        revision.duration_ms = None;
    }
    for stage in &mut runbook.stages {
        stage.started_at = None;
        stage.duration_ms = None;
        for step in &mut stage.steps {
            step.started_at = None;
            step.duration_ms = None;
        }
    }
}

/// `PostgreSQL 16.4 (Debian 16.4-1)` -> `PostgreSQL 16`; `SQLite 3.46.0` -> `SQLite 3`.
pub fn major_version(full: &str) -> String {
    let mut words = full.split_whitespace();
    let product = words.next().unwrap_or_default();
    let version = words.next().unwrap_or_default();
    let major = version
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    format!("{product} {major}").trim().to_string()
}

/// Text replacements applied to the rendered Markdown and JSON.
#[derive(Debug, Clone)]
pub struct Scrubber {
    /// The project directory (`%(here)s`) with a trailing `/`, made relative.
    here: String,
    /// Temp directories replaced by `$TMPDIR` (stable only), plain and percent-encoded.
    temp: Vec<(String, String)>,
    /// Secrets masked as `***` (the derived `Debug` shows them as `***` too).
    secrets: Vec<Secret>,
}

impl Scrubber {
    /// A scrubber for a project in `here`; `secrets` are masked, temp paths only with `stable`.
    pub fn new(here: &Path, secrets: Vec<Secret>, stable: bool) -> Scrubber {
        let mut temp = Vec::new();
        if stable {
            let dir = std::env::temp_dir();
            let mut dirs = vec![dir.display().to_string()];
            if let Ok(real) = dir.canonicalize() {
                dirs.push(real.display().to_string());
            }
            for d in dirs {
                let d = d.trim_end_matches('/').to_string();
                if d.is_empty() {
                    continue;
                }
                temp.push((format!("{d}/"), "$TMPDIR/".to_string()));
                temp.push((
                    format!("{}%2F", d.replace('/', "%2F")),
                    "$TMPDIR%2F".to_string(),
                ));
            }
        }
        Scrubber {
            here: format!("{}/", here.display().to_string().trim_end_matches('/')),
            temp,
            secrets,
        }
    }

    /// `text` scrubbed.
    pub fn apply(&self, text: &str) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(Secret::expose).collect();
        let mut out = crate::url::redact(text, &secrets);
        if self.here.len() > 1 {
            out = out.replace(&self.here, "");
        }
        for (from, to) in &self.temp {
            out = out.replace(from, to);
        }
        out
    }
}

#[cfg(test)]
mod tests;
