//! The Alembic side of `mig import alembic`: runs the Python helper (`helper.py`, shipped
//! in the binary) with the project's interpreter and reads what it found back as typed
//! values. Knows nothing about mig's file format; never touches a database (the helper
//! renders in Alembic's offline mode only).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use super::ImportError;

/// The helper's source, written to a temp file for each run.
const HELPER: &str = include_str!("helper.py");

/// What the helper reports about the Alembic project.
#[derive(Debug, Clone, Deserialize)]
pub struct AlembicProject {
    pub alembic_version: String,
    /// What env.py passed to `context.configure` (the options mig keeps in `[mig]`).
    pub configured: Configured,
    /// Raw (uninterpolated) `[alembic]` values: `sqlalchemy.url`, ...
    pub ini: std::collections::BTreeMap<String, String>,
    pub version_locations: Vec<PathBuf>,
    pub recursive_version_locations: bool,
    /// Newest first (Alembic's `walk_revisions`).
    pub revisions: Vec<AlembicRevision>,
    /// `alembic upgrade heads --sql`, with the bodies of revisions that cannot render
    /// offline left out.
    pub reference_upgrade: OfflineRendering,
    /// `alembic heads` and `alembic history` output.
    pub heads: String,
    pub history: String,
    /// Time spent rendering every revision both ways, in the one Python process.
    pub render_seconds: f64,
}

/// env.py's `context.configure` options, and the dialect it resolved.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Configured {
    pub dialect: Option<String>,
    pub version_table: Option<String>,
    pub version_table_schema: Option<String>,
    #[serde(default = "yes")]
    pub version_table_pk: bool,
    #[serde(default)]
    pub transaction_per_migration: bool,
}

fn yes() -> bool {
    true
}

/// A whole offline rendering.
#[derive(Debug, Clone, Deserialize)]
pub struct OfflineRendering {
    pub sql: Option<String>,
    pub error: Option<String>,
}

/// One revision as Alembic sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct AlembicRevision {
    pub id: String,
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// `Script.doc`: the docstring's first paragraph.
    pub message: String,
    pub create_date: Option<String>,
    /// The module file.
    pub path: PathBuf,
    /// The version location holding it.
    pub location: Option<PathBuf>,
    pub upgrade: Body,
    pub downgrade: Body,
}

/// One direction of one revision, rendered alone.
#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    /// What the function wrote, without the version-table statements and BEGIN/COMMIT.
    pub sql: Option<String>,
    /// Alembic's error when it could not render.
    pub error: Option<String>,
    /// False when the error came from env.py, before the revision's function ran.
    pub in_revision: bool,
    /// The function used `autocommit_block()`.
    pub autocommit: bool,
    /// Python's traceback of `error` (shown with `-v`).
    #[serde(default)]
    pub traceback: Option<String>,
}

/// How to run the helper.
#[derive(Debug, Clone)]
pub struct HelperRun<'a> {
    pub python: &'a Path,
    pub ini: &'a Path,
    pub section: &'a str,
    pub dialect: Option<&'a str>,
}

#[derive(Deserialize)]
struct Fatal {
    fatal: String,
    #[serde(default)]
    traceback: Option<String>,
}

/// Runs the helper in the ini file's directory (as `alembic` is run) and parses its result.
pub fn read_project(run: &HelperRun<'_>) -> Result<AlembicProject, ImportError> {
    let tmp = tempfile::tempdir().map_err(|e| ImportError::Io {
        path: std::env::temp_dir(),
        message: e.to_string(),
    })?;
    let script = tmp.path().join("mig_import_helper.py");
    let result = tmp.path().join("result.json");
    std::fs::write(&script, HELPER).map_err(|e| ImportError::Io {
        path: script.clone(),
        message: e.to_string(),
    })?;
    let dir = run.ini.parent().unwrap_or(Path::new("."));
    let mut cmd = Command::new(run.python);
    cmd.arg(&script)
        .arg("--ini")
        .arg(run.ini)
        .args(["--name", run.section, "--result"])
        .arg(&result)
        // The import reads the project; it leaves no `__pycache__` behind.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(dir);
    if let Some(dialect) = run.dialect {
        cmd.args(["--dialect", dialect]);
    }
    let output = cmd.output().map_err(|e| ImportError::Python {
        python: run.python.to_path_buf(),
        message: format!("cannot run it: {e} (give the project's interpreter with --python)"),
    })?;
    let text = std::fs::read_to_string(&result).map_err(|_| ImportError::Python {
        python: run.python.to_path_buf(),
        message: format!(
            "the helper produced no result (exit {}): {}",
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).trim()
        ),
    })?;
    if let Ok(fatal) = serde_json::from_str::<Fatal>(&text) {
        let mut message = fatal.fatal;
        if let Some(tb) = fatal.traceback {
            tracing::debug!("helper traceback:\n{tb}");
        }
        if message.contains("not importable") {
            message.push_str(" (give the project's interpreter with --python)");
        }
        return Err(ImportError::Alembic { message });
    }
    serde_json::from_str(&text).map_err(|e| ImportError::Python {
        python: run.python.to_path_buf(),
        message: format!("unreadable helper result: {e}"),
    })
}
