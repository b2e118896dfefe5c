//! One line of evidence: what was checked, how it came out, and what was seen. A pass
//! can only be made from a comparison that ran ([`Mark::judged`]); anything that did
//! not run is [`Mark::NotRun`], never a pass. Pure data.

use serde::Serialize;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// The check ran and held.
    Pass,
    /// The check ran and did not hold (the command exits 1), or the step failed.
    Fail,
    /// The check ran and found something worth a look that does not fail the run.
    Warn,
    /// The check did not run (an earlier failure, or it does not apply).
    NotRun,
    /// A fact recorded as evidence, not a check.
    Info,
}

impl Mark {
    /// [`Mark::Pass`] when `held`, else [`Mark::Fail`]: the only way to make a pass.
    pub fn judged(held: bool) -> Mark {
        if held {
            Mark::Pass
        } else {
            Mark::Fail
        }
    }

    /// [`Mark::Pass`] when `held`, else [`Mark::Warn`].
    pub fn judged_soft(held: bool) -> Mark {
        if held {
            Mark::Pass
        } else {
            Mark::Warn
        }
    }

    /// The mark shown in Markdown.
    pub fn icon(self) -> &'static str {
        match self {
            Mark::Pass => "✅",
            Mark::Fail => "❌",
            Mark::Warn => "⚠️",
            Mark::NotRun => "⏭",
            Mark::Info => "ℹ️",
        }
    }
}

/// A check (or a recorded fact) with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub title: String,
    pub status: Mark,
    /// What was seen, in one line (or why it did not run).
    pub detail: String,
    /// The SQL that produced the evidence, exactly as run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// What the check expected, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The rows the query returned, each column as text (`None`: NULL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<Vec<Option<String>>>>,
}

impl Evidence {
    /// A check that ran: passed when `held`.
    pub fn judged(title: impl Into<String>, held: bool, detail: impl Into<String>) -> Evidence {
        Evidence::new(title, Mark::judged(held), detail)
    }

    /// A fact recorded as evidence.
    pub fn info(title: impl Into<String>, detail: impl Into<String>) -> Evidence {
        Evidence::new(title, Mark::Info, detail)
    }

    /// A check that did not run, and why.
    pub fn not_run(title: impl Into<String>, why: impl Into<String>) -> Evidence {
        Evidence::new(title, Mark::NotRun, why)
    }

    /// A check that ran and failed.
    pub fn failed(title: impl Into<String>, detail: impl Into<String>) -> Evidence {
        Evidence::new(title, Mark::Fail, detail)
    }

    /// A check with an explicit status (warnings; statuses computed elsewhere).
    pub fn new(title: impl Into<String>, status: Mark, detail: impl Into<String>) -> Evidence {
        Evidence {
            title: title.into(),
            status,
            detail: detail.into(),
            query: None,
            expected: None,
            rows: None,
        }
    }

    /// Adds the query that produced the evidence.
    pub fn with_query(mut self, query: impl Into<String>) -> Evidence {
        self.query = Some(query.into());
        self
    }

    /// Adds the expectation, in words.
    pub fn with_expected(mut self, expected: impl Into<String>) -> Evidence {
        self.expected = Some(expected.into());
        self
    }

    /// Adds the rows seen.
    pub fn with_rows(mut self, rows: Vec<Vec<Option<String>>>) -> Evidence {
        self.rows = Some(rows);
        self
    }
}

#[cfg(test)]
mod tests;
