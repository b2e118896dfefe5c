//! Shared by the benchmarks: real Alembic in a virtualenv, and wall-clock timing of
//! whole commands (best of N, as hyperfine's minimum).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `alembic` executable: `$ALEMBIC` if set, else a virtualenv under `target/` created
/// on first use (`pip install alembic "psycopg[binary]"`).
pub fn alembic_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("ALEMBIC") {
        return PathBuf::from(bin);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-alembic-venv");
    let bin = root.join("bin/alembic");
    if !bin.exists() {
        eprintln!("bench: installing Alembic into {}", root.display());
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&root)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
            && Command::new(root.join("bin/pip"))
                .args(["install", "--quiet", "alembic==1.20.1", "psycopg[binary]"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
        assert!(ok, "could not install Alembic into {}", root.display());
    }
    bin
}

/// The `mig` binary cargo built for this benchmark (release for `cargo bench`).
pub fn mig_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mig"))
}

/// Runs `cmd` `runs` times (stdout discarded) and returns the fastest run.
/// Panics with stderr if a run fails: a benchmark of a failing command measures nothing.
pub fn best_of(runs: usize, mut cmd: impl FnMut() -> Command) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let mut c = cmd();
        let start = Instant::now();
        let out = c
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("spawn");
        let took = start.elapsed();
        assert!(
            out.status.success(),
            "{c:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        best = best.min(took);
    }
    best
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn ratio(slow: Duration, fast: Duration) -> String {
    format!("{:.2}x", slow.as_secs_f64() / fast.as_secs_f64().max(1e-9))
}
