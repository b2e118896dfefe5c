//! What `history` and `current` need from the graph: the `-r start:end` range walk
//! (newest first, inclusive, Alembic's order) and the resolution of version rows to
//! the revisions they stand for.

use super::collect::Walk;
use super::error::Wrap;
use super::resolve::Spec;
use super::{CommandError, RevisionMap, RevisionRef};

/// Splits `history -r` into `(start, end)`; an empty side is `None`.
///
/// Alembic crashes on more than one `:`; that is refused with the range message too.
pub fn parse_history_range(range: &str) -> Result<(Option<String>, Option<String>), CommandError> {
    let mut parts = range.trim().split(':');
    let (Some(start), Some(end), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CommandError::HistoryRange);
    };
    let side = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    Ok((side(start), side(end)))
}

impl RevisionMap {
    /// `history -r start:end`: the revisions from `end` (default `heads`) down to
    /// `start` (default `base`), both inclusive, newest first, in Alembic's order.
    ///
    /// Either side may be `current`; it then stands for the version rows in `current`
    /// (pass them whenever a side is `current`).
    pub fn history(
        &self,
        start: Option<&str>,
        end: Option<&str>,
        current: &[String],
    ) -> Result<Vec<RevisionRef<'_>>, CommandError> {
        let rows_or = |default: &'static str| {
            if current.is_empty() {
                Spec::Str(default)
            } else {
                Spec::Tuple(current)
            }
        };
        let lower = Spec::Str(start.unwrap_or("base"));
        let upper = Spec::Str(end.unwrap_or("heads"));
        let (lower, upper) = if end == Some("current") {
            (lower, rows_or("heads"))
        } else if start == Some("current") {
            (rows_or("base"), upper)
        } else {
            (lower, upper)
        };
        let (start_text, end_text) = (lower.text(), upper.text());
        let wrap = Wrap {
            start: Some(&start_text),
            end: Some(&end_text),
            ..Wrap::default()
        };
        let walk = Walk {
            inclusive: true,
            implicit_base: false,
            assert_relative_length: false,
        };
        let order = self
            .iterate_upgrade(upper, lower, walk)
            .map_err(|err| err.wrap(&wrap))?;
        Ok(self.refs(&order))
    }

    /// `current`: the revisions the version rows stand for, reduced to branch tips
    /// (a row that is an ancestor of another row's revision is not listed). Load order.
    ///
    /// An unknown row fails with `Can't locate revision identified by '<row>'`.
    pub fn current(&self, rows: &[String]) -> Result<Vec<RevisionRef<'_>>, CommandError> {
        let revisions = self
            .revisions_of(Spec::Tuple(rows))
            .map_err(|err| err.into_command())?;
        Ok(self.refs(&self.all_current(&revisions)))
    }
}
