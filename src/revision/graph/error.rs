//! Errors of the revision graph, in three layers: [`GraphError`] when building the map,
//! [`RevisionError`] for Alembic's resolution and walk errors (its `RevisionError`
//! family, messages word for word), and [`CommandError`], the text Alembic's commands
//! print after wrapping those (`_catch_revision_errors`).

use std::fmt;

use crate::revision::FileLine;

/// A revision set that does not form a valid graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("Revision identifier is empty (in `{at}`)")]
    EmptyId { at: FileLine },
    #[error("Character(s) '{chars}' not allowed in revision identifier '{id}' (in `{at}`)")]
    IllegalCharacters {
        id: String,
        chars: String,
        at: FileLine,
    },
    #[error(
        "Revision identifier '{id}' is longer than 32 characters and does not fit the version table (in `{at}`)"
    )]
    IdTooLong { id: String, at: FileLine },
    #[error("Revision {id} is present more than once: `{first}` and `{second}`")]
    DuplicateId {
        id: String,
        first: FileLine,
        second: FileLine,
    },
    #[error("Revision {parent} referenced from {id} is not present (in `{at}`)")]
    UnknownParent {
        id: String,
        parent: String,
        at: FileLine,
    },
    #[error(
        "Dependency {dependency} of revision {id} is not a known revision or branch label (in `{at}`)"
    )]
    UnknownDependency {
        id: String,
        dependency: String,
        at: FileLine,
    },
    #[error(
        "Branch name '{label}' in revision {revision} already used by revision {existing} \
         (in `{}` and `{}`)",
        files[0],
        files[1]
    )]
    DuplicateBranchLabel {
        label: String,
        revision: String,
        existing: String,
        /// The files of `revision` and `existing` (boxed: keeps errors small).
        files: Box<[FileLine; 2]>,
    },
    #[error("Self-loop is detected in revisions ({id}) (in `{at}`)")]
    SelfLoop { id: String, at: FileLine },
    #[error("Dependency self-loop is detected in revisions ({id}) (in `{at}`)")]
    DependencySelfLoop { id: String, at: FileLine },
    #[error("Cycle is detected in revisions ({}){}", .ids.join(", "), in_files(.files))]
    Cycle {
        ids: Vec<String>,
        files: Vec<FileLine>,
    },
    #[error("Dependency cycle is detected in revisions ({}){}", .ids.join(", "), in_files(.files))]
    DependencyCycle {
        ids: Vec<String>,
        files: Vec<FileLine>,
    },
}

/// Alembic's `RevisionError` family, raised while resolving symbols and walking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevisionError {
    /// `ResolutionError`: nothing matches `argument`.
    #[error("No such revision or branch '{argument}'{}", short_hint(argument))]
    NoSuchRevision { argument: String },
    /// `ResolutionError`: several map keys start with `argument` (first three listed).
    #[error(
        "Multiple revisions start with '{argument}': {}...",
        quoted(candidates)
    )]
    AmbiguousPrefix {
        argument: String,
        candidates: Vec<String>,
    },
    /// `ResolutionError` for the part before `@`.
    #[error("No such branch: '{label}'")]
    NoSuchBranch { label: String },
    /// `ResolutionError` for `label@rev` when `rev` is off the branch.
    #[error("Revision {revision} is not a member of branch '{branch}'")]
    NotMemberOfBranch {
        revision: String,
        branch: String,
        argument: String,
    },
    /// `MultipleHeads`.
    #[error("Multiple heads are present for given argument '{argument}'; {}", heads.join(", "))]
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },
    /// `RangeNotAncestorError`.
    #[error("Revision {lower} is not an ancestor of revision {upper}")]
    RangeNotAncestor { lower: String, upper: String },
    #[error("Ambiguous walk")]
    AmbiguousWalk,
    #[error("Walked too far")]
    WalkedTooFar,
    #[error("Relative revision {relative} didn't produce {count} migrations")]
    RelativeTooFar { relative: String, count: String },
    #[error("Ambiguous upgrade from multiple current revisions")]
    AmbiguousUpgrade,
    #[error("Not a valid downgrade target from current heads")]
    NotValidDowngradeTarget,
    #[error("Requested revision {revision} overlaps with other requested revisions {}", others.join(", "))]
    Overlap {
        revision: String,
        others: Vec<String>,
    },
    /// Alembic fails an assertion here; `mig` names the state instead.
    #[error("No current revision is on branch '{branch}'")]
    NoCurrentOnBranch { branch: String },
    /// Alembic fails an assertion here; `mig` names the state instead.
    #[error("Branch '{revision}' used as a label carries {count} branch labels; name one label")]
    AmbiguousBranchRevision { revision: String, count: usize },
    /// Alembic fails an assertion here (a `history` range whose lower end is only
    /// reached through a dependency); `mig` names the revisions instead.
    #[error("Revision(s) {} cannot be reached walking down from the requested revisions", .0.join(", "))]
    Unreachable(Vec<String>),
    /// Alembic fails an assertion or a set lookup here; `mig` names the state instead.
    #[error("Inconsistent version rows: {0}")]
    InconsistentHeads(String),
}

/// `` (in `a.sql`, `b.sql`)`` after Alembic's text; empty without files.
fn in_files(files: &[FileLine]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let list: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
    format!(" (in {})", list.join(", "))
}

fn short_hint(argument: &str) -> &'static str {
    if argument.chars().count() < 4 {
        "; please ensure at least four characters are present for partial revision identifier matches"
    } else {
        ""
    }
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .take(3)
        .map(|item| format!("'{item}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl RevisionError {
    /// The argument Alembic's `ResolutionError` carries, for resolution failures.
    pub fn resolution_argument(&self) -> Option<&str> {
        match self {
            Self::NoSuchRevision { argument }
            | Self::AmbiguousPrefix { argument, .. }
            | Self::NotMemberOfBranch { argument, .. } => Some(argument),
            Self::NoSuchBranch { label } => Some(label),
            _ => None,
        }
    }

    /// Wraps the error the way a plain Alembic command does (`show`, `current`, ...).
    pub fn into_command(self) -> CommandError {
        self.wrap(&Wrap::default())
    }

    /// Wraps the error the way Alembic's `upgrade` / `downgrade` do for `destination`.
    pub fn into_command_for(self, direction: Direction, destination: &str) -> CommandError {
        self.wrap(&Wrap {
            ancestor: Some(direction),
            end: Some(destination),
            ..Wrap::default()
        })
    }

    /// Wraps the error the way Alembic's `stamp` does.
    pub(crate) fn wrap_stamp(self) -> CommandError {
        self.wrap(&Wrap {
            multiple_heads: MultipleHeadsText::Stamp,
            ..Wrap::default()
        })
    }

    pub(crate) fn wrap(self, wrap: &Wrap<'_>) -> CommandError {
        if let Some(argument) = self.resolution_argument() {
            return CommandError::CantLocate {
                argument: argument.to_owned(),
                source: self,
            };
        }
        match self {
            Self::MultipleHeads { argument, .. } => match wrap.multiple_heads {
                MultipleHeadsText::Default => CommandError::MultipleHeads {
                    argument: wrap.end.map_or(argument, str::to_owned),
                },
                MultipleHeadsText::Stamp => CommandError::StampMultipleHeads,
            },
            Self::RangeNotAncestor { lower, upper } => match wrap.ancestor {
                Some(direction) => CommandError::NotValidTarget {
                    destination: wrap.end.map_or(upper, str::to_owned),
                    direction,
                },
                None => CommandError::RangeNotAncestor {
                    start: wrap.start.map_or(lower, str::to_owned),
                    end: wrap.end.map_or(upper, str::to_owned),
                },
            },
            other => CommandError::Revision(other),
        }
    }
}

/// Which way a plan moves, for `Destination X is not a valid <direction> target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Upgrade => "upgrade",
            Self::Downgrade => "downgrade",
        })
    }
}

/// The context of Alembic's `_catch_revision_errors` for one command.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Wrap<'a> {
    pub ancestor: Option<Direction>,
    pub multiple_heads: MultipleHeadsText,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) enum MultipleHeadsText {
    #[default]
    Default,
    Stamp,
}

/// What an Alembic command prints after `FAILED: ` for a revision error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("Can't locate revision identified by '{argument}'")]
    CantLocate {
        argument: String,
        #[source]
        source: RevisionError,
    },
    #[error(
        "Multiple head revisions are present for given argument '{argument}'; please specify a specific target revision, '<branchname>@{argument}' to narrow to a specific head, or 'heads' for all heads"
    )]
    MultipleHeads { argument: String },
    #[error("Multiple heads are present; please specify a single target revision")]
    StampMultipleHeads,
    #[error("Destination {destination} is not a valid {direction} target from current head(s)")]
    NotValidTarget {
        destination: String,
        direction: Direction,
    },
    #[error(
        "Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch"
    )]
    RangeNotAncestor { start: String, end: String },
    #[error("History range requires [start]:[end], [start]:, or :[end]")]
    HistoryRange,
    #[error(transparent)]
    Revision(RevisionError),
}
