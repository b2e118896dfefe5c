//! Locating the PostgreSQL server binaries (`initdb`, `postgres`) on this machine.
//! Only looks at the file system and `pg_config`; never starts a server.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ProvisionError;

/// The server programs of one PostgreSQL installation (`initdb`, `postgres`), from one
/// directory. Stopping needs no `pg_ctl`: it is a signal to the postmaster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    /// The directory holding the three programs.
    pub bindir: PathBuf,
}

const PROGRAMS: [&str; 2] = ["initdb", "postgres"];

impl PgBinaries {
    /// Finds the server binaries: `explicit` when given, else the first directory holding
    /// both `initdb` and `postgres` among the `PATH` entries, `pg_config --bindir`,
    /// and `/usr/lib/postgresql/*/bin` (highest version first).
    pub fn locate(explicit: Option<&Path>) -> Result<PgBinaries, ProvisionError> {
        if let Some(dir) = explicit {
            return if holds_server(dir) {
                Ok(PgBinaries {
                    bindir: dir.to_path_buf(),
                })
            } else {
                Err(ProvisionError::BinariesMissing {
                    searched: format!("`{}`", dir.display()),
                })
            };
        }
        let candidates = candidate_dirs();
        match candidates.iter().find(|dir| holds_server(dir)) {
            Some(dir) => Ok(PgBinaries {
                bindir: dir.clone(),
            }),
            None => Err(ProvisionError::BinariesMissing {
                searched: "PATH, `pg_config --bindir` and `/usr/lib/postgresql/*/bin`".into(),
            }),
        }
    }

    /// The path of `initdb`.
    pub fn initdb(&self) -> PathBuf {
        self.bindir.join("initdb")
    }

    /// The path of `postgres`.
    pub fn postgres(&self) -> PathBuf {
        self.bindir.join("postgres")
    }
}

/// A client program (`pg_dump`, `pg_restore`) of major version `min_major` or later,
/// from the same places as the server binaries (`PATH`, `pg_config --bindir`,
/// `/usr/lib/postgresql/*/bin`): the first whose `--version` says so, with its major
/// version. `pg_dump` reads servers up to its own major version, hence the minimum.
pub fn locate_client(program: &str, min_major: u32) -> Option<(PathBuf, u32)> {
    let mut seen = Vec::new();
    for dir in candidate_dirs() {
        let path = dir.join(program);
        if !is_executable(&path) || seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        if let Some(major) = client_major(&path) {
            if major >= min_major {
                return Some((path, major));
            }
        }
    }
    None
}

/// `pg_dump (PostgreSQL) 15.18 (Debian ...)` -> 15.
fn client_major(path: &Path) -> Option<u32> {
    let output = Command::new(path).arg("--version").output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    parse_major(&text)
}

fn parse_major(version_line: &str) -> Option<u32> {
    let version = version_line
        .split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))?;
    version.split(['.', '-']).next()?.parse().ok()
}

fn candidate_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    if let Some(dir) = pg_config_bindir() {
        dirs.push(dir);
    }
    dirs.extend(debian_bindirs(Path::new("/usr/lib/postgresql")));
    dirs
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let dir = text.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// `<root>/<version>/bin`, highest version first (`17` before `9.6`).
fn debian_bindirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut versions: Vec<(Vec<u64>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let key = name
                .split('.')
                .map(|part| part.parse::<u64>().ok())
                .collect::<Option<Vec<u64>>>()?;
            Some((key, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

fn holds_server(dir: &Path) -> bool {
    PROGRAMS
        .iter()
        .all(|program| is_executable(&dir.join(program)))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests;
