//! `mig import alembic`: converts an Alembic project (Python revisions) into a mig
//! project (SQL revision files) through Alembic itself.
//!
//! The pipeline: [`alembic`] runs the Python helper with the project's interpreter, which
//! loads Alembic's `ScriptDirectory` and renders every revision offline; [`convert`] turns
//! each into a revision file, parsed back by mig's parser; [`ini`] writes the new
//! `alembic.ini`; [`check`] compares the converted project with Alembic (offline SQL,
//! heads, history); [`report`] says what happened.
//!
//! Writing is all or nothing: the project is built in a temp directory beside `--out`
//! and renamed into place at the end, so a failed import leaves nothing at `--out`. An
//! existing, non-empty `--out` is refused. Revisions Alembic cannot render offline stop
//! the import (nothing written) unless `skip_failing`, which writes them with a `-- TODO`
//! body and lists them in the report. Never touches a database.

pub mod alembic;
pub mod check;
pub mod convert;
pub mod ini;
pub mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::commands::Project;
use crate::config::{self, LoadOptions};
use convert::Conversion;
use report::{ImportReport, ReportRevision};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The Alembic project: its directory (holding `alembic.ini`) or its ini file.
    pub from: PathBuf,
    /// The `[alembic]`-like section of the ini file.
    pub section: String,
    /// Where the converted project goes (must not exist, or be empty).
    pub out: PathBuf,
    /// `postgresql`, `sqlite` or `mysql`; default: the dialect env.py configures.
    pub dialect: Option<String>,
    /// The project's Python interpreter.
    pub python: PathBuf,
    /// Write revisions that cannot be rendered offline with a `-- TODO` body.
    pub skip_failing: bool,
    /// The environment for interpolating the new ini file during the check.
    pub env: BTreeMap<String, String>,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("`{}`: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("Python `{}`: {message}", python.display())]
    Python { python: PathBuf, message: String },
    #[error("Alembic could not load the project: {message}")]
    Alembic { message: String },
    #[error("{0}")]
    Usage(String),
    /// Revisions Alembic could not render offline (they read the database?), or whose
    /// converted file mig refuses (an id too long for the version table...).
    #[error(
        "{} revision(s) cannot be converted; nothing was written (--skip-failing writes \
         those Alembic cannot render offline, which read the database, with a `-- TODO` \
         body):\n{}",
        .0.len(),
        .0.join("\n")
    )]
    CannotConvert(Vec<String>),
    #[error("the converted project does not load: {0}")]
    Converted(String),
}

impl From<ImportError> for crate::commands::Error {
    fn from(err: ImportError) -> Self {
        crate::commands::Error::Import {
            code: err.exit_code(),
            message: err.to_string(),
        }
    }
}

impl ImportError {
    /// SPEC section 5: every import failure is a usage/configuration/revision problem.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Converts the project; the report's checks say whether it is equivalent.
pub async fn import_alembic(req: &ImportRequest) -> Result<ImportReport, ImportError> {
    let ini_path = ini_path_of(&req.from)?;
    let out = std::path::absolute(&req.out).unwrap_or(req.out.clone());
    refuse_existing(&out)?;
    let dialect_arg = match req.dialect.as_deref() {
        None => None,
        Some(d @ ("postgresql" | "sqlite" | "mysql")) => Some(d),
        Some(other) => {
            return Err(ImportError::Usage(format!(
                "unknown dialect `{other}`; expected postgresql, sqlite or mysql"
            )))
        }
    };
    let project = alembic::read_project(&alembic::HelperRun {
        python: &req.python,
        ini: &ini_path,
        section: &req.section,
        dialect: dialect_arg,
    })?;
    let dialect = mig_dialect(dialect_arg.or(project.configured.dialect.as_deref()))?;
    let locations = location_dirs(&project.version_locations);
    let converted = convert_all(&project, &ini_path, &locations, req.skip_failing)?;

    // All or nothing: build beside --out, check there, then move into place.
    let staging = staging_dir(&out)?;
    let checks = match write_all(
        &staging, &project, &ini_path, dialect, &locations, &converted,
    ) {
        Ok(()) => run_checks(&staging, req, &project, &converted).await,
        Err(e) => Err(e),
    };
    let checks = checks.inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staging);
    })?;
    if out.is_dir() {
        let _ = std::fs::remove_dir(&out);
    }
    std::fs::rename(&staging, &out).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        ImportError::Io {
            path: out.clone(),
            message: format!("cannot move the converted project into place: {e}"),
        }
    })?;
    Ok(ImportReport {
        source: ini_path,
        out,
        alembic_version: project.alembic_version.clone(),
        dialect: dialect.to_string(),
        revisions: converted.iter().map(report_revision).collect(),
        checks,
        render_seconds: project.render_seconds,
    })
}

/// `--from`: the ini file itself, or `alembic.ini` in the directory; absolute.
fn ini_path_of(from: &Path) -> Result<PathBuf, ImportError> {
    let path = if from.is_dir() {
        from.join("alembic.ini")
    } else {
        from.to_path_buf()
    };
    if !path.is_file() {
        return Err(ImportError::Usage(format!(
            "no Alembic config at `{}` (give --from DIR_OR_INI)",
            path.display()
        )));
    }
    Ok(std::path::absolute(&path).unwrap_or(path))
}

/// SQLAlchemy's dialect name -> mig's.
fn mig_dialect(name: Option<&str>) -> Result<&'static str, ImportError> {
    match name {
        Some("postgresql") => Ok("postgresql"),
        Some("sqlite") => Ok("sqlite"),
        Some("mysql" | "mariadb") => Ok("mysql"),
        other => Err(ImportError::Usage(format!(
            "env.py configures dialect `{}`; mig supports postgresql, sqlite and mysql",
            other.unwrap_or("(none)")
        ))),
    }
}

/// Every revision converted, or every problem at once (nothing is written then).
fn convert_all(
    project: &alembic::AlembicProject,
    ini_path: &Path,
    locations: &[String],
    skip_failing: bool,
) -> Result<Vec<convert::Converted>, ImportError> {
    let here = ini_path.parent().unwrap_or(Path::new("/"));
    let mut converted = Vec::new();
    let mut failures = Vec::new();
    for rev in &project.revisions {
        let shown = rev
            .path
            .strip_prefix(here)
            .unwrap_or(&rev.path)
            .display()
            .to_string();
        for (direction, body) in [("upgrade", &rev.upgrade), ("downgrade", &rev.downgrade)] {
            if let Some(tb) = &body.traceback {
                tracing::debug!("Alembic's {direction} of {}:\n{tb}", rev.id);
            }
        }
        let env_error = [&rev.upgrade, &rev.downgrade]
            .into_iter()
            .find(|b| b.error.is_some() && !b.in_revision);
        if let Some(body) = env_error {
            let error = body.error.as_deref().unwrap_or_default();
            return Err(ImportError::Alembic {
                message: format!(
                    "env.py failed in offline mode (revision {}): {error}",
                    rev.id
                ),
            });
        }
        let index = project
            .version_locations
            .iter()
            .position(|l| Some(l) == rev.location.as_ref())
            .unwrap_or(0);
        let dir = PathBuf::from(locations.get(index).map_or("versions", String::as_str));
        match convert::convert(rev, &dir, &shown) {
            Ok(c) => {
                if let (Conversion::Skipped(error), false) = (&c.outcome, skip_failing) {
                    failures.push(format!("  - {} ({shown}): {error}", rev.id));
                }
                converted.push(c);
            }
            Err(problem) => failures.push(format!("  - {} ({shown}): {problem}", rev.id)),
        }
    }
    if failures.is_empty() {
        Ok(converted)
    } else {
        Err(ImportError::CannotConvert(failures))
    }
}

fn report_revision(c: &convert::Converted) -> ReportRevision {
    let (status, reason) = match &c.outcome {
        Conversion::Converted => ("converted", None),
        Conversion::Irreversible(r) => ("irreversible", Some(r.clone())),
        Conversion::Skipped(r) => ("skipped", Some(r.clone())),
    };
    ReportRevision {
        id: c.id.clone(),
        file: c.file.clone(),
        status,
        reason,
        no_transaction: c.no_transaction,
    }
}

fn refuse_existing(out: &Path) -> Result<(), ImportError> {
    match std::fs::read_dir(out).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(ImportError::Usage(format!(
            "`{}` exists and is not empty; choose another --out",
            out.display()
        ))),
        Ok(_) => Ok(()),
        Err(_) if out.exists() => Err(ImportError::Usage(format!(
            "`{}` exists and is not a directory; choose another --out",
            out.display()
        ))),
        Err(_) => Ok(()),
    }
}

/// The converted version locations, relative to the new project: `versions`, then
/// `versions_2`, `versions_3`... in Alembic's order.
fn location_dirs(locations: &[PathBuf]) -> Vec<String> {
    let n = locations.len().max(1);
    (1..=n)
        .map(|i| {
            if i == 1 {
                "versions".into()
            } else {
                format!("versions_{i}")
            }
        })
        .collect()
}

fn staging_dir(out: &Path) -> Result<PathBuf, ImportError> {
    let name = out
        .file_name()
        .map_or("mig".into(), |n| n.to_string_lossy().into_owned());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{name}.mig-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| ImportError::Io {
        path: staging.clone(),
        message: e.to_string(),
    })?;
    Ok(staging)
}

fn write_all(
    staging: &Path,
    project: &alembic::AlembicProject,
    ini_path: &Path,
    dialect: &str,
    locations: &[String],
    converted: &[convert::Converted],
) -> Result<(), ImportError> {
    let write = |path: PathBuf, text: &str| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ImportError::Io {
                path: parent.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        std::fs::write(&path, text).map_err(|e| ImportError::Io {
            path,
            message: e.to_string(),
        })
    };
    for dir in locations {
        let path = staging.join(dir);
        std::fs::create_dir_all(&path).map_err(|e| ImportError::Io {
            path,
            message: e.to_string(),
        })?;
    }
    write(
        staging.join("alembic.ini"),
        &ini::render(project, ini_path, dialect, locations),
    )?;
    for c in converted {
        write(staging.join(&c.file), &c.text)?;
    }
    Ok(())
}

async fn run_checks(
    staging: &Path,
    req: &ImportRequest,
    alembic: &alembic::AlembicProject,
    converted: &[convert::Converted],
) -> Result<Vec<check::CheckItem>, ImportError> {
    let mut opts = LoadOptions::new(staging, req.env.clone());
    opts.config = Some(staging.join("alembic.ini"));
    let config = config::load(&opts).map_err(|e| ImportError::Converted(e.to_string()))?;
    let project =
        Project::from_config(config).map_err(|e| ImportError::Converted(e.to_string()))?;
    let skipped: Vec<String> = converted
        .iter()
        .filter(|c| matches!(c.outcome, Conversion::Skipped(_)))
        .map(|c| c.id.clone())
        .collect();
    Ok(check::check(&project, alembic, &skipped).await)
}
