//! Helpers for the roundtrip tests: running the `mig` binary, the fixture library, and
//! checking that a report names an object and a revision on one line.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A finished `mig` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The `mig` command, run in `dir`, with no configuration from the environment.
pub fn mig_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mig"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("MIG_CONFIG")
        .env_remove("ALEMBIC_CONFIG")
        .env_remove("MIG_DIALECT");
    command
}

/// Runs `mig args` in `dir`.
pub fn mig(dir: &Path, args: &[&str]) -> Run {
    let out: Output = mig_command(dir).args(args).output().expect("run mig");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The repository root (the demo project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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
