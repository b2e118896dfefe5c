//! Seeds (SPEC section 14): SQL files in `seed_locations` with a revision-style header
//! (`Seed`, `Kind`, `After`, `Requires`, `Transaction`), run in dependency order, each
//! in its own transaction under the migration lock, recorded in `mig_seed` beside the
//! version table and in one `mig_history` row per run.
//!
//! [`load`] reads and orders the files (pure but for reading them); [`run()`] and
//! [`list`] talk to the database. Nothing here prints or parses arguments, and nothing
//! here knows the revision graph beyond [`SeedGraph`].

mod error;
mod file;
mod order;
mod report;
mod run;
mod select;
mod table;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use error::{SeedError, SeedFailure};
pub use file::{parse_seed, Seed, SeedChoice, SeedKind};
pub use order::order;
pub use report::{list_text, ListEntry, SeedReport, SeedRun, SeedState, StatementRows};
pub(crate) use run::locked as run_locked;
pub use run::{list, run};
pub use select::SeedRequest;
pub use table::SEED_TABLE;

/// What seeds need to know of the revisions: which ids exist and which are applied.
pub trait SeedGraph {
    /// Whether the project has a revision `id`.
    fn knows(&self, id: &str) -> bool;
    /// The revision ids applied when the version table holds `heads`.
    fn applied(&self, heads: &[String]) -> BTreeSet<String>;
}

impl SeedGraph for crate::revision::graph::RevisionMap {
    fn knows(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    fn applied(&self, heads: &[String]) -> BTreeSet<String> {
        if heads.is_empty() {
            return BTreeSet::new();
        }
        self.history(None, Some("current"), heads)
            .map(|revs| revs.iter().map(|r| r.id().to_string()).collect())
            .unwrap_or_default()
    }
}

/// Every `*.sql` file of `locations` (a missing directory holds none), parsed, in
/// dependency order (file-name order where `After:` leaves it open). A `Requires:`
/// revision the project does not have is refused here, with the file and line.
pub fn load(locations: &[PathBuf], graph: &dyn SeedGraph) -> Result<Vec<Seed>, SeedError> {
    let mut seeds = Vec::new();
    for dir in locations {
        for path in sql_files(dir)? {
            let text = std::fs::read_to_string(&path).map_err(|err| SeedError::Io {
                path: path.clone(),
                message: err.to_string(),
            })?;
            let seed = parse_seed(&path, &text)?;
            if let Some((revision, line)) = &seed.requires {
                if !graph.knows(revision) {
                    return Err(SeedError::File {
                        path: path.clone(),
                        line: *line,
                        message: format!(
                            "`Requires: {revision}` names no revision of this project"
                        ),
                    });
                }
            }
            seeds.push(seed);
        }
    }
    order(seeds)
}

fn sql_files(dir: &Path) -> Result<Vec<PathBuf>, SeedError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(SeedError::Io {
                path: dir.to_path_buf(),
                message: err.to_string(),
            })
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql") && path.is_file())
        .collect();
    files.sort();
    Ok(files)
}
