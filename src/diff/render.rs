//! The stable text form of [`Findings`]: one line per extra or missing object, a block
//! per changed one with `field: before -> after` lines and indented unified diffs.

use std::fmt;

use super::{Changed, Cosmetic, Differences, FieldChange, ObjectRef};
use crate::catalog::Value;

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

impl Differences {
    /// The text `mig diff` prints: the findings, or `no differences`.
    pub fn report(&self) -> String {
        if self.is_empty() {
            "no differences\n".to_string()
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Differences {
    /// ```text
    /// extra index public.ix_users_email
    /// missing column public.users.nickname
    /// changed column public.users.email
    ///   not_null: false -> true
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for object in &self.extra {
            writeln!(f, "extra {object}")?;
        }
        for object in &self.missing {
            writeln!(f, "missing {object}")?;
        }
        for changed in &self.changed {
            write!(f, "{changed}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Changed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "changed {} {}", self.kind, self.id)?;
        for field in &self.fields {
            write!(f, "{field}")?;
        }
        Ok(())
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let note = match self.cosmetic {
            Some(Cosmetic::ColumnOrder) => " (column order)",
            Some(Cosmetic::Owner) => " (owner)",
            None => "",
        };
        match &self.diff {
            Some(diff) => {
                writeln!(f, "  {}:{note}", self.field)?;
                for line in diff.lines() {
                    writeln!(f, "    {line}")?;
                }
                Ok(())
            }
            None => writeln!(
                f,
                "  {}: {} -> {}{note}",
                self.field,
                value(self.before.as_ref()),
                value(self.after.as_ref())
            ),
        }
    }
}

/// A value on one line: `(none)` when absent, text with line breaks escaped.
fn value(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_string(),
        Some(Value::Text(text)) if text.contains('\n') || text.is_empty() => format!("{text:?}"),
        Some(value) => value.to_string(),
    }
}
