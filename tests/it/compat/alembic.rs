//! Real Alembic in a virtualenv of the tests' own (`$CARGO_TARGET_TMPDIR/alembic-venv`),
//! created on first use with a pinned Alembic, reused by later runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::project::Pair;
use crate::support::{venv, Mig};

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
    let check = format!(
        "import alembic, psycopg, pymysql; assert alembic.__version__ == '{ALEMBIC_VERSION}'"
    );
    venv::python(
        "alembic-venv",
        &[
            &format!("alembic=={ALEMBIC_VERSION}"),
            // SQLAlchemy 2.1's default PostgreSQL driver is psycopg 3.
            "psycopg[binary]",
            // SQLAlchemy's default MySQL driver (`mysql+pymysql://`), for the MariaDB tests.
            "pymysql",
        ],
        &check,
    )
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
