//! Python virtualenvs of the tests' own (`$CARGO_TARGET_TMPDIR/<name>`), created on first
//! use with pinned packages and reused by later runs; and running a tool that must
//! succeed. A venv is built beside its place and renamed into it, so a half-built one is
//! never picked up; a failed install panics with pip's output (CI must not skip a test).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `python` of venv `name` with `packages` installed, once `check` (Python code)
/// runs there without error.
pub fn python(name: &str, packages: &[&str], check: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let bin = root.join("bin").join("python");
    if passes(&bin, check) {
        return bin;
    }
    let staging = root.with_extension(format!("staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    run(Command::new("python3").args(["-m", "venv"]).arg(&staging));
    run(Command::new(staging.join("bin").join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(packages));
    let _ = std::fs::remove_dir_all(&root);
    if std::fs::rename(&staging, &root).is_err() {
        // Another process won the race; use its venv.
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(
        passes(&bin, check),
        "{packages:?} not usable at {}",
        bin.display()
    );
    bin
}

fn passes(python: &Path, check: &str) -> bool {
    Command::new(python)
        .args(["-c", check])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs `cmd`, panicking with its output unless it succeeds.
pub fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
