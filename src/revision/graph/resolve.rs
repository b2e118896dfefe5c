//! Symbol resolution as Alembic does it: `head`, `heads`, `base`, exact id or label,
//! then unique prefix (of keys longer than 3 characters), and `label@rev`.
//!
//! Re-implements `RevisionMap._resolve_revision_number`, `get_revision(s)`,
//! `_revision_for_ident` and `filter_for_lineage`; Alembic's `None` / `"base"`
//! results become [`Pos::Nil`] / [`Pos::Base`]. Relative forms live in `relative`.

use super::traverse::Rel;
use super::{RevisionError, RevisionMap, RevisionRef};

/// What a resolution or a walk lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    Rev(usize),
    /// Alembic's `"base"` marker: walked down past the bases.
    Base,
    /// Alembic's `None`: below everything (base), or walked too far.
    Nil,
}

impl Pos {
    pub(crate) fn from_option(index: Option<usize>) -> Self {
        index.map_or(Self::Nil, Self::Rev)
    }

    pub(crate) fn rev(self) -> Option<usize> {
        match self {
            Self::Rev(index) => Some(index),
            _ => None,
        }
    }
}

/// Alembic's revision-identifier argument: `None`, one string, or a tuple of strings
/// (the version rows).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Spec<'s> {
    Nil,
    Str(&'s str),
    Tuple(&'s [String]),
}

impl Spec<'_> {
    /// Python's `util.to_tuple`, with `None` as the empty tuple.
    pub(crate) fn items(&self) -> Vec<&str> {
        match self {
            Spec::Nil => Vec::new(),
            Spec::Str(s) => vec![s],
            Spec::Tuple(items) => items.iter().map(String::as_str).collect(),
        }
    }

    /// How Alembic prints the argument in `RangeNotAncestorError` (`None` is `base`).
    pub(crate) fn text(&self) -> String {
        match self {
            Spec::Str(s) if !s.is_empty() => (*s).to_owned(),
            Spec::Tuple(items) if !items.is_empty() => items.join(", "),
            _ => "base".to_owned(),
        }
    }
}

/// A resolved identifier still to be looked up: a known revision or text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ident<'s> {
    Rev(usize),
    Text(&'s str),
}

/// Python's truthiness of a branch label: the empty string counts as no label.
pub(crate) fn label_of(label: Option<&str>) -> Option<&str> {
    label.filter(|l| !l.is_empty())
}

impl RevisionMap {
    /// Alembic's `get_revision`: one revision for a symbol, id, label or prefix;
    /// `None` for `base`. Several matches (e.g. `heads` with two heads) are an error.
    pub fn get_revision(&self, id: &str) -> Result<Option<RevisionRef<'_>>, RevisionError> {
        Ok(self.revision_index(Some(id))?.map(|index| self.at(index)))
    }

    /// Alembic's `get_revisions`: all revisions a symbol denotes (`heads`, `label@heads`,
    /// `-1` from each head, ...); empty for `base`.
    pub fn get_revisions(&self, id: &str) -> Result<Vec<RevisionRef<'_>>, RevisionError> {
        Ok(self
            .positions(Some(id))?
            .into_iter()
            .filter_map(Pos::rev)
            .map(|index| self.at(index))
            .collect())
    }

    fn lookup(&self, key: &str) -> Option<usize> {
        self.by_id
            .get(key)
            .or_else(|| self.by_label.get(key))
            .copied()
    }

    /// `_resolve_revision_number`: splits `label@`, expands `head` / `heads` / `base`.
    fn resolve_number<'s>(
        &self,
        id: Option<&'s str>,
    ) -> Result<(Vec<Ident<'s>>, Option<&'s str>), RevisionError> {
        let (label, id) = match id {
            Some(text) => match text.split_once('@') {
                Some((label, rest)) => (label_of(Some(label)), Some(rest)),
                None => (None, Some(text)),
            },
            None => (None, None),
        };
        let idents = match id {
            Some("heads") => match label {
                Some(label) => self.filter_for_lineage(&self.heads, label, false)?,
                None => self.real_heads.clone(),
            }
            .into_iter()
            .map(Ident::Rev)
            .collect(),
            Some("head") => self
                .current_head(label)?
                .map(Ident::Rev)
                .into_iter()
                .collect(),
            Some("base") | None => Vec::new(),
            Some(text) => vec![Ident::Text(text)],
        };
        Ok((idents, label))
    }

    /// `get_current_head`: the single (effective) head, optionally on a branch.
    pub(crate) fn current_head(&self, label: Option<&str>) -> Result<Option<usize>, RevisionError> {
        let heads = match label {
            Some(label) => self.filter_for_lineage(&self.heads, label, false)?,
            None => self.heads.clone(),
        };
        if heads.len() > 1 {
            return Err(RevisionError::MultipleHeads {
                heads: self.ids(&heads),
                argument: label.map_or_else(|| "head".to_owned(), |l| format!("{l}@head")),
            });
        }
        Ok(heads.first().copied())
    }

    /// `get_revision` over indices.
    pub(crate) fn revision_index(&self, id: Option<&str>) -> Result<Option<usize>, RevisionError> {
        let (idents, label) = self.resolve_number(id)?;
        if idents.len() > 1 {
            let heads = idents
                .iter()
                .map(|ident| match ident {
                    Ident::Rev(index) => self.id(*index).to_owned(),
                    Ident::Text(text) => (*text).to_owned(),
                })
                .collect();
            return Err(RevisionError::MultipleHeads {
                heads,
                argument: id.unwrap_or("None").to_owned(),
            });
        }
        self.revision_for_ident(idents.first().copied(), label)
    }

    /// `get_revisions` for one string (or `None`).
    pub(crate) fn positions(&self, id: Option<&str>) -> Result<Vec<Pos>, RevisionError> {
        let (idents, label) = self.resolve_number(id)?;
        if let [Ident::Text(text)] = idents.as_slice() {
            if let Some(steps) = negative_integer(text) {
                // `branch@-n`: walk down from every (real) head on the branch.
                let heads: Vec<usize> = self
                    .real_heads
                    .iter()
                    .copied()
                    .filter(|&head| {
                        label.is_none_or(|l| self.node(head).labels.iter().any(|x| x == l))
                    })
                    .collect();
                return heads
                    .into_iter()
                    .map(|head| self.walk(Pos::Rev(head), steps, None, true))
                    .collect();
            }
        }
        idents
            .into_iter()
            .map(|ident| {
                Ok(Pos::from_option(
                    self.revision_for_ident(Some(ident), label)?,
                ))
            })
            .collect()
    }

    /// `get_revisions` for Alembic's identifier argument (tuples concatenate).
    pub(crate) fn positions_of(&self, spec: Spec<'_>) -> Result<Vec<Pos>, RevisionError> {
        match spec {
            Spec::Nil => self.positions(None),
            Spec::Str(text) => self.positions(Some(text)),
            Spec::Tuple(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.extend(self.positions(Some(item))?);
                }
                Ok(out)
            }
        }
    }

    /// [`Self::positions_of`], keeping revisions only.
    pub(crate) fn revisions_of(&self, spec: Spec<'_>) -> Result<Vec<usize>, RevisionError> {
        Ok(self
            .positions_of(spec)?
            .into_iter()
            .filter_map(Pos::rev)
            .collect())
    }

    /// `_revision_for_ident`: exact key, else unique prefix of 4+ character keys
    /// (ids, then labels), then the `label@` membership check.
    pub(crate) fn revision_for_ident(
        &self,
        ident: Option<Ident<'_>>,
        check_branch: Option<&str>,
    ) -> Result<Option<usize>, RevisionError> {
        let branch = check_branch
            .map(|label| self.resolve_branch(label))
            .transpose()?;
        let (revision, argument) = match ident {
            None => (None, String::new()),
            Some(Ident::Rev(index)) => (Some(index), self.id(index).to_owned()),
            Some(Ident::Text(text)) => match self.lookup(text) {
                Some(index) => (Some(index), text.to_owned()),
                None => (Some(self.prefix_match(text, branch)?), text.to_owned()),
            },
        };
        if let (Some(label), Some(index), Some(branch)) = (check_branch, revision, branch) {
            if !self.shares_lineage(index, &[branch], false) {
                return Err(RevisionError::NotMemberOfBranch {
                    revision: self.id(index).to_owned(),
                    branch: label.to_owned(),
                    argument,
                });
            }
        }
        Ok(revision)
    }

    fn prefix_match(&self, text: &str, branch: Option<usize>) -> Result<usize, RevisionError> {
        if text.is_empty() {
            return Err(RevisionError::NoSuchRevision {
                argument: String::new(),
            });
        }
        let ids = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.revision.id.as_str(), i));
        let labels = self
            .label_order
            .iter()
            .map(|(label, i)| (label.as_str(), *i));
        let mut matches: Vec<(&str, usize)> = ids
            .chain(labels)
            .filter(|(key, _)| key.chars().count() > 3 && key.starts_with(text))
            .collect();
        if let Some(branch) = branch {
            matches.retain(|&(_, index)| self.shares_lineage(index, &[branch], false));
        }
        match matches.as_slice() {
            [] => Err(RevisionError::NoSuchRevision {
                argument: text.to_owned(),
            }),
            [(_, index)] => Ok(*index),
            _ => Err(RevisionError::AmbiguousPrefix {
                argument: text.to_owned(),
                candidates: matches
                    .iter()
                    .take(3)
                    .map(|(key, _)| (*key).to_owned())
                    .collect(),
            }),
        }
    }

    /// `_resolve_branch`: a label (or any revision identifier) before `@`.
    pub(crate) fn resolve_branch(&self, label: &str) -> Result<usize, RevisionError> {
        if let Some(index) = self.lookup(label) {
            return Ok(index);
        }
        match self.revision_for_ident(Some(Ident::Text(label)), None) {
            Ok(Some(index)) => Ok(index),
            _ => Err(RevisionError::NoSuchBranch {
                label: label.to_owned(),
            }),
        }
    }

    /// `_shares_lineage`: whether any of `tests` is `target`, above or below it.
    pub(crate) fn shares_lineage(&self, target: usize, tests: &[usize], with_deps: bool) -> bool {
        tests.is_empty()
            || tests.iter().any(|&test| {
                self.is_descendant(test, target, with_deps)
                    || self.is_ancestor(test, target, with_deps)
            })
    }

    /// `filter_for_lineage`: the targets sharing lineage with `check_against`.
    pub(crate) fn filter_for_lineage(
        &self,
        targets: &[usize],
        check_against: &str,
        with_deps: bool,
    ) -> Result<Vec<usize>, RevisionError> {
        let (idents, label) = self.resolve_number(Some(check_against))?;
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let mut shares = Vec::new();
        for ident in label.map(Ident::Text).into_iter().chain(idents) {
            shares.extend(self.revision_for_ident(Some(ident), None)?);
        }
        Ok(targets
            .iter()
            .copied()
            .filter(|&target| self.shares_lineage(target, &shares, with_deps))
            .collect())
    }

    /// `_get_all_current`: the rows with their ancestors, reduced to those with no
    /// versioned child in the set. Load order.
    pub(crate) fn all_current(&self, rows: &[usize]) -> Vec<usize> {
        let applied = self.closure(rows, Rel::AncestorsWithDeps);
        (0..self.len())
            .filter(|&i| applied[i] && !self.node(i).children.iter().any(|&c| applied[c]))
            .collect()
    }
}

/// Python's `int(x) < 0` for the `branch@-n` form of `get_revisions`.
fn negative_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return None;
    }
    Some(-digits.parse::<i64>().unwrap_or(i64::MAX))
}
