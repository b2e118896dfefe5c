//! One finding: an object (kind and identity) and what is wrong with it - residue from a
//! snapshot comparison, a declared keep that was not kept, a naming violation - with its
//! text form. Pure data.

use std::fmt;

use serde::Serialize;

use crate::catalog::Kind;
use crate::diff::{Differences, FieldChange};
use crate::naming::Violation;

use super::keeps::KeepRule;

/// What is wrong with an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Present now, absent in the state compared with: left behind.
    Extra,
    /// Absent now, present in the state compared with.
    Missing,
    /// Present in both, with different attributes.
    Changed,
    /// Declared in `Downgrade Keeps:` but not there after the downgrade.
    KeepNotLeft,
    /// Its name does not fit the naming convention.
    Naming,
}

/// One finding: an object (kind and identity) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub problem: Problem,
    pub kind: Kind,
    pub id: String,
    /// The attributes that differ ([`Problem::Changed`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// The declaration ([`Problem::KeepNotLeft`]) or the expected name
    /// ([`Problem::Naming`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Finding {
    /// The findings of a snapshot comparison.
    pub fn from_diff(findings: Differences) -> Vec<Finding> {
        let object = |problem, r: crate::diff::ObjectRef| Finding {
            problem,
            kind: r.kind,
            id: r.id,
            fields: Vec::new(),
            detail: None,
        };
        let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
        out.extend(
            findings
                .extra
                .into_iter()
                .map(|r| object(Problem::Extra, r)),
        );
        out.extend(
            findings
                .missing
                .into_iter()
                .map(|r| object(Problem::Missing, r)),
        );
        out.extend(findings.changed.into_iter().map(|c| Finding {
            problem: Problem::Changed,
            kind: c.kind,
            id: c.id,
            fields: c.fields,
            detail: None,
        }));
        out
    }

    /// A declared keep the downgrade did not leave behind.
    pub fn keep_not_left(rule: &KeepRule) -> Finding {
        Finding {
            problem: Problem::KeepNotLeft,
            kind: rule.kind(),
            id: rule.declared.name.clone(),
            fields: Vec::new(),
            detail: Some(format!("Downgrade Keeps: {rule}")),
        }
    }

    /// A naming-convention violation.
    pub fn naming(violation: Violation) -> Finding {
        let name = if violation.name.is_empty() {
            "unnamed".to_string()
        } else {
            format!("`{}`", violation.name)
        };
        Finding {
            problem: Problem::Naming,
            kind: violation.kind,
            id: violation.id,
            fields: Vec::new(),
            detail: Some(format!(
                "{name}, expected `{}` (naming_convention.{} = {})",
                violation.expected, violation.convention, violation.template
            )),
        }
    }

    /// The first line of the finding: `extra index public.ix_t_a`.
    pub fn headline(&self) -> String {
        match self.problem {
            Problem::Extra => format!("extra {} {}", self.kind, self.id),
            Problem::Missing => format!("missing {} {}", self.kind, self.id),
            Problem::Changed => format!("changed {} {}", self.kind, self.id),
            Problem::KeepNotLeft => {
                format!("declared keep not left behind: {} {}", self.kind, self.id)
            }
            Problem::Naming => format!(
                "{} {}: {}",
                self.kind,
                self.id,
                self.detail.as_deref().unwrap_or_default()
            ),
        }
    }
}

impl fmt::Display for Finding {
    /// The headline, then one line per changed attribute (indented two spaces), unified
    /// diffs of changed bodies indented four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        for field in &self.fields {
            write!(f, "{field}")?;
        }
        Ok(())
    }
}
