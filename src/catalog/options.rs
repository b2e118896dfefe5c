//! What a snapshot leaves out: mig's own bookkeeping tables and the configured `ignore`
//! patterns (`table public.spatial_*`), applied to the objects a backend read. Pure: no
//! I/O.

use std::collections::BTreeSet;

use regex::Regex;

use super::model::{Kind, Object};
use super::CatalogError;
use crate::config::Config;

/// Options for a snapshot.
#[derive(Debug, Clone, Default)]
pub struct SnapshotOptions {
    /// mig's own tables (version table, history table): left out together with their
    /// columns, constraints, indexes, sequences, triggers, grants and comments.
    pub bookkeeping: Vec<TableRef>,
    /// `[mig] ignore` patterns.
    pub ignore: Vec<IgnorePattern>,
}

impl SnapshotOptions {
    /// The version, history, seed and environment tables (in `version_table_schema`, or in any schema
    /// when none is configured) and the `ignore` patterns of `config`.
    pub fn from_config(config: &Config) -> Result<SnapshotOptions, CatalogError> {
        let exec = &config.exec;
        let schema = exec.version_table.schema.clone();
        let mut bookkeeping = vec![TableRef {
            schema: schema.clone(),
            name: exec.version_table.table.clone(),
        }];
        if let Some(history) = &exec.history_table {
            bookkeeping.push(TableRef {
                schema: schema.clone(),
                name: history.clone(),
            });
        }
        // Part two's tables: recorded seeds (SPEC section 14) and the protection marker.
        for name in [crate::config::SEED_TABLE, crate::config::ENVIRONMENT_TABLE] {
            bookkeeping.push(TableRef {
                schema: schema.clone(),
                name: name.to_string(),
            });
        }
        let ignore = config
            .ignore()?
            .iter()
            .map(|text| IgnorePattern::parse(text))
            .collect::<Result<_, _>>()?;
        Ok(SnapshotOptions {
            bookkeeping,
            ignore,
        })
    }

    /// Drops the objects these options leave out.
    pub(crate) fn retain(&self, objects: Vec<Object>) -> Vec<Object> {
        // Objects hanging off an ignored relation or living in an ignored schema go with
        // it; find those first, by their unquoted names, so quoting never matters.
        let mut relations: BTreeSet<(Option<String>, String)> = BTreeSet::new();
        let mut schemas: BTreeSet<String> = BTreeSet::new();
        for object in &objects {
            if !self.ignore.iter().any(|p| p.matches(object)) {
                continue;
            }
            if object.kind == Kind::Schema {
                schemas.insert(object.name.clone());
            } else if object.kind.is_relation() {
                if let Some(table) = &object.table {
                    relations.insert((object.schema.clone(), table.clone()));
                }
            }
        }
        objects
            .into_iter()
            .filter(|object| {
                let in_schema = object.schema.as_ref().is_some_and(|s| schemas.contains(s));
                let on_relation = object
                    .table
                    .as_ref()
                    .is_some_and(|t| relations.contains(&(object.schema.clone(), t.clone())));
                let bookkeeping = self.bookkeeping.iter().any(|b| b.owns(object));
                !(in_schema
                    || on_relation
                    || bookkeeping
                    || self.ignore.iter().any(|p| p.matches(object)))
            })
            .collect()
    }
}

/// A table named by schema (`None`: any schema) and name, unquoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub schema: Option<String>,
    pub name: String,
}

impl TableRef {
    /// Whether `object` is this table or hangs off it.
    fn owns(&self, object: &Object) -> bool {
        object.table.as_deref() == Some(self.name.as_str())
            && (self.schema.is_none() || self.schema == object.schema)
    }
}

/// One `[mig] ignore` entry: a kind and a glob over identities (`*` any text, `?` one
/// character), such as `table public.spatial_*` or `extension postgis`.
///
/// Ignoring a table (or view, type, ...) ignores what hangs off it; ignoring a schema
/// ignores everything in it. Comments and grants on a matching object are ignored too.
#[derive(Debug, Clone)]
pub struct IgnorePattern {
    pub kind: Kind,
    pub pattern: String,
    regex: Regex,
}

impl IgnorePattern {
    /// Parses `kind pattern`; the kind may be written in words or with underscores
    /// (`materialized view app.*`, `materialized_view app.*`).
    pub fn parse(text: &str) -> Result<IgnorePattern, CatalogError> {
        let invalid = |reason: &str| CatalogError::IgnorePattern {
            pattern: text.to_string(),
            reason: reason.to_string(),
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        // A kind may take two words (`materialized view`, `event trigger`).
        let two_words = match words.as_slice() {
            [first, second, _, ..] => Kind::from_name(&format!("{first} {second}")),
            _ => None,
        };
        let (kind, used) = match (two_words, words.as_slice()) {
            (Some(kind), _) => (Some(kind), 2),
            (None, [first, _, ..]) => (Kind::from_name(first), 1),
            _ => {
                return Err(invalid(
                    "expected a kind and a pattern, such as `table public.tmp_*`",
                ))
            }
        };
        let Some(kind) = kind else {
            return Err(invalid(&format!(
                "unknown kind `{}`; expected one of {}",
                words.first().copied().unwrap_or_default(),
                Kind::ALL
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let pattern = words.get(used..).unwrap_or_default().join(" ");
        let mut regex = String::from("^");
        for c in pattern.chars() {
            match c {
                '*' => regex.push_str(".*"),
                '?' => regex.push('.'),
                c => regex.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        regex.push('$');
        let regex = Regex::new(&regex).map_err(|e| invalid(&e.to_string()))?;
        Ok(IgnorePattern {
            kind,
            pattern,
            regex,
        })
    }

    /// Whether the pattern names `object` itself, or the object a comment or grant is on.
    pub fn matches(&self, object: &Object) -> bool {
        if object.kind == self.kind {
            return self.regex.is_match(&object.id);
        }
        let target = match object.kind {
            Kind::Comment => object.id.strip_prefix("on "),
            Kind::Grant => object
                .id
                .strip_prefix("on ")
                .and_then(|rest| rest.rsplit_once(" to "))
                .map(|(target, _grantee)| target),
            _ => None,
        };
        target
            .and_then(|t| t.strip_prefix(self.kind.as_str()))
            .and_then(|t| t.strip_prefix(' '))
            .is_some_and(|id| self.regex.is_match(id))
    }
}

#[cfg(test)]
mod tests;
