//! The version locations on disk: finding and loading every revision file, and (in
//! `create`) naming and writing new ones. Builds no graph and knows no database.
//!
//! Load order is Alembic's, which breaks ties in the graph: locations in the given order;
//! in each, the directory's files sorted by name, then (when recursive) each
//! subdirectory, sorted, the same way. Only `*.sql` files count; names starting with `.`
//! (editor and VCS files) are skipped, and symlinked directories are not followed. A file
//! reached twice through overlapping locations is loaded once. Every problem in every
//! file is collected, so one run reports them all.

mod create;
mod file_name;
mod read;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt};

pub use create::{
    format_create_date, render_revision, revision_file_name, write_revision, FileNaming,
    NewRevision, WriteError, DEFAULT_TEMPLATE,
};
pub use file_name::{
    generate_revision_id, render_file_template, slug, unique_revision_id, FileTemplateError,
    FileTokens, RevisionIdStyle, DEFAULT_FILE_TEMPLATE, DEFAULT_TRUNCATE_SLUG_LENGTH,
};

use crate::dialect::Dialect;
use crate::revision::parse::{check_sql, parse_revision, ParseError};
use crate::revision::Revision;
use read::Reader;

/// Why the revisions could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("version location `{}` does not exist", path.display())]
    MissingLocation { path: PathBuf },
    #[error("version location `{}` is not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("cannot read `{}`: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("`{}` is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(
        "revision `{id}` is declared in two files: `{}` and `{}`",
        first.display(),
        second.display()
    )]
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// More than one of the above, in load order.
    #[error("{} problems with the revision files:\n{}", .0.len(), bullet_list(.0))]
    Several(Vec<LoadError>),
}

fn bullet_list(errors: &[LoadError]) -> String {
    let lines: Vec<String> = errors.iter().map(|err| format!("  - {err}")).collect();
    lines.join("\n")
}

impl LoadError {
    fn from_all(mut errors: Vec<LoadError>) -> Option<LoadError> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(LoadError::Several(errors)),
        }
    }
}

/// Loads every revision file under `locations` (recursively if asked), in load order.
/// Refuses missing locations, unreadable or invalid files and duplicate ids, reporting
/// all of them.
pub fn load_revisions(locations: &[PathBuf], recursive: bool) -> Result<Vec<Revision>, LoadError> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for location in locations {
        if let Err(err) = list_location(location, recursive, &mut files) {
            errors.push(err);
        }
    }
    if locations.len() > 1 {
        dedupe(&mut files);
    }

    let mut revisions: Vec<Revision> = Vec::with_capacity(files.len());
    for result in load_files(&files) {
        match result {
            Ok(revision) => revisions.push(revision),
            Err(err) => errors.push(err),
        }
    }

    let mut seen: HashMap<&str, &Path> = HashMap::with_capacity(revisions.len());
    for revision in &revisions {
        if let Some(first) = seen.insert(&revision.id, &revision.path) {
            errors.push(LoadError::DuplicateId {
                id: revision.id.clone(),
                first: first.to_path_buf(),
                second: revision.path.clone(),
            });
        }
    }

    match LoadError::from_all(errors) {
        Some(err) => Err(err),
        None => Ok(revisions),
    }
}

/// Checks every revision's bodies under `dialect` (exact quoting rules), once the dialect
/// is known; loading alone accepts a body that lexes under any dialect.
pub fn check_revisions(revisions: &[Revision], dialect: Dialect) -> Result<(), LoadError> {
    let errors: Vec<LoadError> = revisions
        .iter()
        .filter_map(|revision| check_sql(revision, dialect).err())
        .map(LoadError::Parse)
        .collect();
    match LoadError::from_all(errors) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// Reads and parses `files`, results in the same order. Large histories are spread over
/// threads: with thousands of files, opening and reading them is most of the work.
fn load_files(files: &[PathBuf]) -> Vec<Result<Revision, LoadError>> {
    let load_all = |part: &[PathBuf]| {
        let mut reader = Reader::default();
        part.iter()
            .map(|path| {
                let text = reader.read(path)?;
                Ok(parse_revision(path, &text)?)
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || files.len() < 512 {
        return load_all(files);
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || load_all(part)))
            .collect();
        workers
            .into_iter()
            .zip(files.chunks(chunk))
            .flat_map(|(worker, part)| {
                // A worker only panics on a bug; load its part here rather than lose it.
                worker.join().unwrap_or_else(|_| load_all(part))
            })
            .collect()
    })
}

fn list_location(
    location: &Path,
    recursive: bool,
    files: &mut Vec<PathBuf>,
) -> Result<(), LoadError> {
    match fs::metadata(location) {
        Ok(meta) if meta.is_dir() => list_dir(location, recursive, files),
        Ok(_) => Err(LoadError::NotADirectory {
            path: location.to_path_buf(),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err(LoadError::MissingLocation {
                path: location.to_path_buf(),
            })
        }
        Err(error) => Err(LoadError::Io {
            path: location.to_path_buf(),
            error,
        }),
    }
}

fn list_dir(dir: &Path, recursive: bool, files: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |error| LoadError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut here = Vec::new();
    let mut subdirs = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let name = file_name(&path);
        if name.starts_with(b".") {
            continue;
        }
        let file_type = entry.file_type().map_err(|error| LoadError::Io {
            path: path.clone(),
            error,
        })?;
        if file_type.is_dir() {
            subdirs.push(path);
        } else if is_sql(name) && (file_type.is_file() || path.is_file()) {
            here.push(path);
        }
    }
    // Every path here is `dir` joined with a name, so comparing whole paths as bytes
    // orders them by name, as Alembic does, without splitting them into components.
    let by_bytes = |a: &PathBuf, b: &PathBuf| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    };
    here.sort_unstable_by(by_bytes);
    subdirs.sort_unstable_by(by_bytes);
    files.extend(here);
    if recursive {
        for subdir in subdirs {
            list_dir(&subdir, recursive, files)?;
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> &[u8] {
    path.file_name()
        .map(|name| name.as_encoded_bytes())
        .unwrap_or_default()
}

/// `*.sql`, any case (names starting with `.` are skipped before this).
fn is_sql(name: &[u8]) -> bool {
    name.len() > 4
        && name
            .get(name.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(b".sql"))
}

/// Drops files reached a second time through overlapping locations (Alembic warns too).
fn dedupe(files: &mut Vec<PathBuf>) {
    let mut seen = HashSet::with_capacity(files.len());
    files.retain(|path| {
        let real = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let first = seen.insert(real);
        if !first {
            tracing::warn!(
                "`{}` is reached through more than one version location; loading it once",
                path.display()
            );
        }
        first
    });
}
