//! Relative destinations as Alembic parses them (`+N`, `-N`, `rev+N`, `head-1`,
//! `base+2`, `label@+1`, `label@head-1`, `label@-1`) and the walk up or down the
//! graph they need (`_walk`, `_parse_upgrade_target`, `_parse_downgrade_target`).

use std::sync::LazyLock;

use regex::Regex;

use super::resolve::{label_of, Ident, Pos, Spec};
use super::traverse::Rel;
use super::{RevisionError, RevisionMap};

/// Alembic's `_relative_destination`, anchored at the start as `re.match` is.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(.+?)@)?(\w+)?([+-][0-9]+)").unwrap_or_else(|err| {
        // The pattern is a literal; failing to compile it is a programming error.
        unreachable!("relative-destination pattern does not compile: {err}")
    })
});

/// A parsed relative destination: `label@symbol+N`.
struct Relative<'s> {
    label: Option<&'s str>,
    symbol: Option<&'s str>,
    /// As written, with its sign (`+10`).
    text: &'s str,
    steps: i64,
    /// `abs(steps)` as Alembic prints it.
    count: String,
}

fn parse_relative(target: &str) -> Option<Relative<'_>> {
    let captures = RELATIVE.captures(target)?;
    let text = captures.get(3)?.as_str();
    let digits = text[1..].trim_start_matches('0');
    let magnitude = digits
        .parse::<i64>()
        .unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
    let steps = if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    Some(Relative {
        label: captures
            .get(1)
            .map(|m| m.as_str())
            .filter(|l| !l.is_empty()),
        symbol: captures.get(2).map(|m| m.as_str()),
        text,
        steps,
        count: if digits.is_empty() {
            "0".to_owned()
        } else {
            digits.to_owned()
        },
    })
}

fn too_far(relative: &Relative<'_>) -> RevisionError {
    RevisionError::RelativeTooFar {
        relative: relative.text.to_owned(),
        count: relative.count.clone(),
    }
}

impl RevisionMap {
    /// `_walk`: `steps` up (positive, optionally along a branch) or down (negative).
    /// Past the end: [`Pos::Nil`] when `no_overwalk`, else where the walk stopped.
    pub(crate) fn walk(
        &self,
        start: Pos,
        steps: i64,
        label: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Pos, RevisionError> {
        let mut current = start;
        for _ in 0..steps.unsigned_abs() {
            let next: Vec<Pos> = if steps > 0 {
                let up = match current {
                    Pos::Rev(index) => self.node(index).children.clone(),
                    Pos::Base | Pos::Nil => self.bases.clone(),
                };
                let up = match label {
                    Some(label) => self.filter_for_lineage(&up, label, false)?,
                    None => up,
                };
                up.into_iter().map(Pos::Rev).collect()
            } else {
                match current {
                    Pos::Base => Vec::new(),
                    Pos::Nil | Pos::Rev(_) => {
                        let down = match current {
                            Pos::Rev(index) => &self.node(index).parents,
                            _ => &self.heads,
                        };
                        if down.is_empty() {
                            vec![Pos::Base]
                        } else {
                            down.iter().copied().map(Pos::Rev).collect()
                        }
                    }
                }
            };
            match next.as_slice() {
                [] => return Ok(if no_overwalk { Pos::Nil } else { current }),
                [only] => current = *only,
                _ => return Err(RevisionError::AmbiguousWalk),
            }
        }
        Ok(current)
    }

    /// `_parse_upgrade_target`: the revisions an upgrade destination names, relative
    /// forms resolved against the current rows.
    ///
    /// Where Alembic trips an assertion (a `rev+N` walk past the end), this reports
    /// `Relative revision ... didn't produce ...`; a walk below base yields nothing.
    pub(crate) fn parse_upgrade_target(
        &self,
        current: Spec<'_>,
        target: Spec<'_>,
        no_overwalk: bool,
    ) -> Result<Vec<usize>, RevisionError> {
        let relative = match target {
            Spec::Str(text) => parse_relative(text),
            _ => None,
        };
        let Some(relative) = relative else {
            return self.revisions_of(target);
        };
        let label = relative.label;
        let landed = if relative.steps > 0 {
            let start = match relative.symbol {
                None => self.upgrade_start(current, label)?,
                Some(symbol) => Pos::from_option(self.revision_index(Some(symbol))?),
            };
            self.walk(start, relative.steps, label, no_overwalk)?
        } else {
            let Some(symbol) = relative.symbol else {
                return Err(RevisionError::RelativeTooFar {
                    relative: relative.steps.to_string(),
                    count: relative.count.clone(),
                });
            };
            let start = self.labelled_revision(label, symbol)?;
            self.walk(start, relative.steps, None, no_overwalk)?
        };
        match landed {
            Pos::Rev(index) => Ok(vec![index]),
            Pos::Base => Ok(Vec::new()),
            Pos::Nil => Err(too_far(&relative)),
        }
    }

    /// Where `+N` (no symbol) starts: the single current revision on the branch, or
    /// the branch's tip below the current revisions, or base.
    fn upgrade_start(&self, current: Spec<'_>, label: Option<&str>) -> Result<Pos, RevisionError> {
        let rows = current.items();
        let Some(label) = label else {
            return match rows.as_slice() {
                [] => Ok(Pos::Nil),
                [row] => Ok(Pos::from_option(self.revision_index(Some(row))?)),
                _ => Err(RevisionError::AmbiguousUpgrade),
            };
        };
        let positions = self.positions_of(current)?;
        if positions.contains(&Pos::Base) {
            // Alembic hands its "base" marker to the lineage filter, which then fails
            // to resolve it as a revision.
            return Err(RevisionError::NoSuchRevision {
                argument: "base".to_owned(),
            });
        }
        let revisions: Vec<usize> = positions.into_iter().filter_map(Pos::rev).collect();
        let mut start = self.filter_for_lineage(&revisions, label, false)?;
        if start.is_empty() {
            let below = self.closure(&revisions, Rel::AncestorsWithDeps);
            let below: Vec<usize> = (0..self.len()).filter(|&i| below[i]).collect();
            let active = self.filter_for_lineage(&below, label, false)?;
            let mut under = vec![false; self.len()];
            for &index in &active {
                for &down in &self.node(index).normalized_down {
                    under[down] = true;
                }
            }
            start = active.into_iter().filter(|&i| !under[i]).collect();
        }
        match start.as_slice() {
            [] => Ok(Pos::Nil),
            [only] => Ok(Pos::Rev(*only)),
            _ => Err(RevisionError::AmbiguousUpgrade),
        }
    }

    /// `get_revision("label@symbol")`, or `get_revision(symbol)` without a label.
    fn labelled_revision(&self, label: Option<&str>, symbol: &str) -> Result<Pos, RevisionError> {
        let index = match label {
            Some(label) => self.revision_index(Some(&format!("{label}@{symbol}")))?,
            None => self.revision_index(Some(symbol))?,
        };
        Ok(Pos::from_option(index))
    }

    /// `_parse_downgrade_target`: the branch label in force and the revision to
    /// downgrade to ([`Pos::Nil`] / [`Pos::Base`] for base).
    pub(crate) fn parse_downgrade_target(
        &self,
        current: Spec<'_>,
        target: Option<&str>,
        no_overwalk: bool,
    ) -> Result<(Option<String>, Pos), RevisionError> {
        let Some(target) = target else {
            return Ok((None, Pos::Nil));
        };
        let Some(relative) = parse_relative(target) else {
            let (label, symbol) = match target.rsplit_once('@') {
                Some((label, symbol)) => (label_of(Some(label)), symbol),
                None => (None, target),
            };
            let index = self.revision_index(Some(symbol))?;
            return Ok((label.map(str::to_owned), Pos::from_option(index)));
        };
        if relative.steps >= 0 {
            let Some(symbol) = relative.symbol else {
                return Err(too_far(&relative));
            };
            let start = Pos::from_option(self.revision_index(Some(symbol))?);
            let landed = self.walk(start, relative.steps, relative.label, no_overwalk)?;
            if landed == Pos::Nil {
                return Err(RevisionError::WalkedTooFar);
            }
            return Ok((relative.label.map(str::to_owned), landed));
        }
        let mut label = relative.label.map(str::to_owned);
        let symbol = match relative.symbol {
            Some(symbol) => symbol.to_owned(),
            None => match &label {
                Some(branch) => self.current_on_branch(current, branch)?,
                None => {
                    let rows = current.items();
                    let Some(first) = rows.first() else {
                        return Err(too_far(&relative));
                    };
                    if rows.iter().any(|row| row != first) {
                        tracing::warn!(
                            "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."
                        );
                    }
                    // Alembic narrows the walk to the first row's own lineage.
                    label = Some((*first).to_owned());
                    (*first).to_owned()
                }
            },
        };
        let start = self.labelled_revision(label.as_deref(), &symbol)?;
        let landed = self.walk(start, relative.steps, None, no_overwalk)?;
        if landed == Pos::Nil {
            return Err(if relative.symbol.is_none() {
                too_far(&relative)
            } else {
                RevisionError::WalkedTooFar
            });
        }
        Ok((label, landed))
    }

    /// For `label@-N`: the one current revision on the branch (looking through
    /// revisions that are current only as ancestors of the rows).
    fn current_on_branch(&self, current: Spec<'_>, branch: &str) -> Result<String, RevisionError> {
        // The rows are looked up as plain identifiers here, not as symbols.
        let mut rows = Vec::new();
        for row in current.items() {
            rows.extend(self.revision_for_ident(Some(Ident::Text(row)), None)?);
        }
        let mut on_branch = self.filter_for_lineage(&rows, branch, false)?;
        if on_branch.is_empty() {
            let all_current = self.all_current(&self.revisions_of(current)?);
            on_branch = self.filter_for_lineage(&all_current, branch, false)?;
        }
        match on_branch.as_slice() {
            [only] => Ok(self.id(*only).to_owned()),
            _ => Err(RevisionError::NoCurrentOnBranch {
                branch: branch.to_owned(),
            }),
        }
    }
}
