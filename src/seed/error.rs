//! What stops a seed run, each naming the seed file (and line) involved, with the exit
//! code SPEC section 5 assigns: 2 for seed files, 3 for the database.

use std::path::PathBuf;

use crate::db::DbError;

/// A seed run that could not start or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{}:{line}: {message}", path.display())]
    File {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("cannot read `{}`: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("seed `{name}` is named by two files: {} and {}", first.display(), second.display())]
    DuplicateName {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error(
        "{}:{line}: seed `{seed}` runs after `{missing}`, which no seed file names (seeds: {})",
        path.display(),
        known.join(", ")
    )]
    UnknownAfter {
        path: PathBuf,
        line: usize,
        seed: String,
        missing: String,
        known: Vec<String>,
    },
    #[error("seeds run after each other in a cycle: {}", seeds.join(" -> "))]
    Cycle { seeds: Vec<String> },
    #[error("no seed is named `{name}` (seeds: {})", known.join(", "))]
    UnknownSeed { name: String, known: Vec<String> },
    /// `Requires:` names a revision the database is not at yet.
    #[error(
        "seed `{seed}` ({}) requires revision `{revision}`, which is not applied; \
         run `mig upgrade {revision}` first (nothing was seeded)",
        path.display()
    )]
    Blocked {
        seed: String,
        path: PathBuf,
        revision: String,
    },
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Failed(Box<SeedFailure>),
}

impl SeedError {
    /// 3 for the database (connection, lock, a failing seed, an unmet `Requires`), 2 for
    /// seed files and names.
    pub fn exit_code(&self) -> i32 {
        match self {
            SeedError::Database(_) | SeedError::Failed(_) | SeedError::Blocked { .. } => 3,
            _ => 2,
        }
    }
}

/// A seed whose statement failed: where, and what state that left.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct SeedFailure {
    pub seed: String,
    pub path: PathBuf,
    /// Line of the failing statement in the file.
    pub line: usize,
    /// 1-based index of the statement, and how many the seed has.
    pub statement: usize,
    pub statements: usize,
    /// The statement's first line.
    pub text: String,
    pub message: String,
    /// Whether the seed ran in a transaction (rolled back) or not (`Transaction: none`).
    pub transactional: bool,
    pub dry_run: bool,
    /// Seeds of this run that were applied (committed and recorded) before it.
    pub applied_before: Vec<String>,
}

impl SeedFailure {
    fn render(&self) -> String {
        let mut out = format!(
            "seed `{}` failed at {}:{} (statement {} of {}: `{}`): {}\n",
            self.seed,
            self.path.display(),
            self.line,
            self.statement,
            self.statements,
            self.text,
            self.message
        );
        if self.dry_run {
            out.push_str("dry run: the transaction was rolled back; nothing was changed");
            return out;
        }
        if self.transactional {
            out.push_str(&format!(
                "its transaction was rolled back: nothing of `{}` is applied",
                self.seed
            ));
        } else if self.statement > 1 {
            out.push_str(&format!(
                "`Transaction: none`: statements 1..{} of `{}` ran outside a transaction and \
                 stay applied; `{}` is not recorded as applied",
                self.statement - 1,
                self.seed,
                self.seed
            ));
        } else {
            out.push_str(&format!("nothing of `{}` is applied", self.seed));
        }
        if self.applied_before.is_empty() {
            out.push_str("; no seed of this run was applied before it");
        } else {
            let list: Vec<String> = self
                .applied_before
                .iter()
                .map(|s| format!("`{s}`"))
                .collect();
            out.push_str(&format!(
                "; applied and recorded before it: {}",
                list.join(", ")
            ));
        }
        out
    }
}
