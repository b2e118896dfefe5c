//! Real Alembic in a virtualenv of the tests' own (`$CARGO_TARGET_TMPDIR/alembic-venv`),
//! created on first use with a pinned Alembic, reused by later runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::project::Pair;
use crate::support::Mig;

/// The Alembic version the expected outputs were taken from.
pub const ALEMBIC_VERSION: &str = "1.20.1";

/// The virtualenv's `python`, with Alembic installed on first use. Alembic runs as
/// `python -m alembic`: a venv moved into place keeps a working interpreter, while its
/// console scripts would still point at the staging path. Panics (failing the
/// test) with pip's output when it cannot be installed: CI must not skip these tests.
pub fn python_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(install)
}

fn install() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("alembic-venv");
    let bin = root.join("bin").join("python");
    if version_ok(&bin) {
        return bin;
    }
    // Build beside, then rename, so a half-built venv is never picked up.
    let staging = root.with_extension(format!("staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    run(Command::new("python3").args(["-m", "venv"]).arg(&staging));
    run(Command::new(staging.join("bin").join("python")).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("alembic=={ALEMBIC_VERSION}"),
        // SQLAlchemy 2.1's default PostgreSQL driver is psycopg 3.
        "psycopg[binary]",
        // SQLAlchemy's default MySQL driver (`mysql+pymysql://`), for the MariaDB tests.
        "pymysql",
    ]));
    let _ = std::fs::remove_dir_all(&root);
    if std::fs::rename(&staging, &root).is_err() {
        // Another process won the race; use its venv.
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(
        version_ok(&bin),
        "alembic {ALEMBIC_VERSION} not usable at {}",
        bin.display()
    );
    bin
}

fn version_ok(python: &Path) -> bool {
    let check = format!(
        "import alembic, psycopg, pymysql; assert alembic.__version__ == '{ALEMBIC_VERSION}'"
    );
    Command::new(python)
        .args(["-c", &check])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn run(cmd: &mut Command) {
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

/// Runs `alembic ARGS` in `dir` (which holds `alembic.ini`).
pub fn alembic(dir: &Path, args: &[&str]) -> Output {
    Command::new(python_bin())
        .args(["-m", "alembic"])
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run alembic")
}

/// A tool's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `args` through Alembic and mig on `pair`: both must fail with the same `FAILED:`
/// line (Alembic prints it on stdout, mig on stderr, SPEC section 5).
pub fn same_failure(pair: &Pair, args: &[&str]) {
    let failed = |output: &str| {
        output
            .lines()
            .find(|l| l.starts_with("FAILED:"))
            .map_or_else(|| output.to_string(), str::to_string)
    };
    let a = alembic(&pair.alembic_dir, args);
    assert!(!a.status.success(), "alembic {args:?} succeeded");
    let m = Mig::new(&pair.mig_dir).args(args).run();
    assert!(m.code != 0, "mig {args:?} succeeded");
    assert_eq!(failed(&m.stderr), failed(&text(&a.stdout)), "for {args:?}");
}
