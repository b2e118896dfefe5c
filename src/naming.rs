//! Naming conventions: checks every constraint and index of a snapshot against the
//! SQLAlchemy-style templates of `[mig] naming_convention.*` and lists each name that
//! does not fit, with the expected form. An index that backs a constraint (primary key,
//! unique) is checked as that constraint, not twice; partition clones are not checked.
//! Pure: reads a snapshot, never a database.

mod template;

use std::fmt;

use serde::Serialize;

use crate::catalog::{Kind, Object, Snapshot};
use crate::config::NamingConvention;
use crate::dialect::Dialect;
use template::{NameTemplate, NameTemplateError, Subject};

/// Which template applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    Pk,
    Fk,
    Uq,
    Ix,
    Ck,
}

impl Convention {
    /// `pk`, `fk`, `uq`, `ix`, `ck`.
    pub fn as_str(self) -> &'static str {
        match self {
            Convention::Pk => "pk",
            Convention::Fk => "fk",
            Convention::Uq => "uq",
            Convention::Ix => "ix",
            Convention::Ck => "ck",
        }
    }

    /// The convention an object falls under, if any.
    fn of(object: &Object) -> Option<Convention> {
        if object.attr("parent").is_some() {
            return None;
        }
        match object.kind {
            Kind::Constraint => match object.text("type")? {
                "primary key" => Some(Convention::Pk),
                "foreign key" => Some(Convention::Fk),
                "unique" => Some(Convention::Uq),
                "check" => Some(Convention::Ck),
                _ => None,
            },
            Kind::Index if object.attr("constraint").is_none() => Some(Convention::Ix),
            _ => None,
        }
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A constraint or index whose name does not fit its template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub kind: Kind,
    /// The object's identity.
    pub id: String,
    pub convention: Convention,
    /// The name it has (empty for an unnamed SQLite constraint).
    pub name: String,
    /// The name the template gives, `<constraint_name>` standing for the free part.
    pub expected: String,
    /// The template, as configured.
    pub template: String,
}

impl fmt::Display for Violation {
    /// `constraint public.users.users_pkey: expected `pk_users` (naming_convention.pk = pk_%(table_name)s)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.name.is_empty() {
            "unnamed".to_string()
        } else {
            format!("`{}`", self.name)
        };
        write!(
            f,
            "{} {}: {name}, expected `{}` (naming_convention.{} = {})",
            self.kind, self.id, self.expected, self.convention, self.template
        )
    }
}

/// A template that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NamingError {
    #[error(
        "unknown token `%({token})s` in `naming_convention.{convention} = {template}`; \
         known: table_name, column_0_name, column_0_N_name, column_0N_name, column_0_label, \
         column_0_key, referred_table_name, referred_column_0_name, constraint_name"
    )]
    UnknownToken {
        convention: Convention,
        template: String,
        token: String,
    },
    #[error(
        "unterminated token (`%(` without `)s`) in `naming_convention.{convention} = {template}`"
    )]
    Unterminated {
        convention: Convention,
        template: String,
    },
}

/// The conventions that have a template, in `pk, fk, uq, ix, ck` order.
pub fn configured(
    conventions: &NamingConvention,
) -> impl Iterator<Item = (Convention, &String)> + '_ {
    [
        (Convention::Pk, &conventions.pk),
        (Convention::Fk, &conventions.fk),
        (Convention::Uq, &conventions.uq),
        (Convention::Ix, &conventions.ix),
        (Convention::Ck, &conventions.ck),
    ]
    .into_iter()
    .filter_map(|(convention, text)| Some((convention, text.as_ref()?)))
}

/// Checks the names of every constraint and index in `snapshot` against the configured
/// templates (conventions without a template are not checked). Violations come in
/// snapshot order.
pub fn check(
    snapshot: &Snapshot,
    conventions: &NamingConvention,
) -> Result<Vec<Violation>, NamingError> {
    let mut templates = Vec::new();
    for (convention, text) in configured(conventions) {
        let template = NameTemplate::parse(text).map_err(|error| match error {
            NameTemplateError::UnknownToken(token) => NamingError::UnknownToken {
                convention,
                template: text.clone(),
                token,
            },
            NameTemplateError::Unterminated => NamingError::Unterminated {
                convention,
                template: text.clone(),
            },
        })?;
        templates.push((convention, text, template));
    }
    let max_len = match snapshot.dialect {
        Dialect::Postgresql => Some(63),
        Dialect::Mysql => Some(64),
        Dialect::Sqlite => None,
    };
    let mut violations = Vec::new();
    for object in &snapshot.objects {
        let Some(convention) = Convention::of(object) else {
            continue;
        };
        let Some((_, text, template)) = templates.iter().find(|(c, _, _)| *c == convention) else {
            continue;
        };
        let subject = Subject {
            table: object.table.as_deref().unwrap_or_default(),
            columns: object.list("columns"),
            referred_table: object.text("referred_table").unwrap_or_default(),
            referred_columns: object.list("referred_columns"),
        };
        let fits = !object.name.is_empty() && template.fits(&object.name, &subject, max_len);
        if !fits {
            violations.push(Violation {
                kind: object.kind,
                id: object.id.clone(),
                convention,
                name: object.name.clone(),
                expected: template.expected(&subject),
                template: (*text).clone(),
            });
        }
    }
    Ok(violations)
}

#[cfg(test)]
mod tests;
