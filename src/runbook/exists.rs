//! Existence checks (`exists = "table zero_admin.inbox_items"`): the kinds a DoD file may
//! name and the one query per kind and backend that answers them with a non-NULL value
//! when the object exists (`to_regclass`, `to_regprocedure`, the catalogs). The query is
//! shown in the runbook as the evidence. Pure: builds SQL text, never runs it.

use std::fmt;

use serde::Serialize;

use crate::dialect::Dialect;

/// What an existence check looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistsKind {
    Schema,
    Extension,
    Table,
    View,
    Index,
    Sequence,
    Function,
    Type,
    Constraint,
    Trigger,
}

impl ExistsKind {
    const ALL: [ExistsKind; 10] = [
        ExistsKind::Schema,
        ExistsKind::Extension,
        ExistsKind::Table,
        ExistsKind::View,
        ExistsKind::Index,
        ExistsKind::Sequence,
        ExistsKind::Function,
        ExistsKind::Type,
        ExistsKind::Constraint,
        ExistsKind::Trigger,
    ];

    /// The word used in DoD files.
    pub fn as_str(self) -> &'static str {
        match self {
            ExistsKind::Schema => "schema",
            ExistsKind::Extension => "extension",
            ExistsKind::Table => "table",
            ExistsKind::View => "view",
            ExistsKind::Index => "index",
            ExistsKind::Sequence => "sequence",
            ExistsKind::Function => "function",
            ExistsKind::Type => "type",
            ExistsKind::Constraint => "constraint",
            ExistsKind::Trigger => "trigger",
        }
    }

    /// Whether checks of this kind can run on `dialect`.
    pub fn supported_on(self, dialect: Dialect) -> bool {
        match dialect {
            Dialect::Postgresql => true,
            Dialect::Sqlite => matches!(
                self,
                ExistsKind::Table | ExistsKind::View | ExistsKind::Index | ExistsKind::Trigger
            ),
            // Runbooks do not run on MySQL yet.
            Dialect::Mysql => false,
        }
    }

    /// The kinds `dialect` supports, comma-separated.
    pub fn names_on(dialect: Dialect) -> String {
        ExistsKind::ALL
            .iter()
            .filter(|kind| kind.supported_on(dialect))
            .map(|kind| kind.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `kind name`: `table zero_admin.inbox_items`, `function zero_admin.set_updated_at()`,
/// `constraint zero_admin.chunks.uq_chunks__seq` (table-qualified, like triggers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExistsTarget {
    pub kind: ExistsKind,
    pub name: String,
}

impl fmt::Display for ExistsTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.name)
    }
}

impl ExistsTarget {
    /// Parses `kind name`; the error says what is wrong, in words.
    pub fn parse(text: &str) -> Result<ExistsTarget, String> {
        let text = text.trim();
        let (word, name) = text
            .split_once(char::is_whitespace)
            .map(|(w, n)| (w, n.trim()))
            .unwrap_or((text, ""));
        let known = || {
            ExistsKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let kind = ExistsKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .ok_or_else(|| format!("unknown kind `{word}` in `{text}`; known: {}", known()))?;
        if name.is_empty() {
            return Err(format!(
                "`{text}` names no object; write `{} <name>`",
                kind.as_str()
            ));
        }
        if matches!(kind, ExistsKind::Constraint | ExistsKind::Trigger) && !name.contains('.') {
            return Err(format!(
                "`{text}`: a {} is named with its table, `[schema.]table.name`",
                kind.as_str()
            ));
        }
        Ok(ExistsTarget {
            kind,
            name: name.to_string(),
        })
    }

    /// The query answering the check: one row whose first column is not NULL when the
    /// object exists (no row, or NULL, when it does not).
    pub fn sql(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::Postgresql => self.postgres_sql(),
            Dialect::Sqlite | Dialect::Mysql => self.sqlite_sql(),
        }
    }

    // Names are formatted from the catalog, not cast to `regclass`/`regprocedure`, so the
    // evidence shows the schema whatever the session's `search_path` is.
    fn postgres_sql(&self) -> String {
        let name = literal(&self.name);
        let relation = |kinds: &str| {
            format!(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.oid = to_regclass({name}) AND c.relkind IN ({kinds})"
            )
        };
        let function = |lookup: &str| {
            format!(
                "SELECT format('%I.%I(%s)', n.nspname, p.proname, \
                 pg_catalog.pg_get_function_identity_arguments(p.oid)) FROM pg_catalog.pg_proc p \
                 JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE p.oid = {lookup}({name})"
            )
        };
        let (owner, own) = self.name.rsplit_once('.').unwrap_or(("", &self.name));
        match self.kind {
            ExistsKind::Schema => format!(
                "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE oid = to_regnamespace({name})"
            ),
            ExistsKind::Extension => format!(
                "SELECT extname || ' ' || extversion FROM pg_catalog.pg_extension \
                 WHERE extname = {name}"
            ),
            ExistsKind::Table => relation("'r', 'p'"),
            ExistsKind::View => relation("'v', 'm'"),
            ExistsKind::Index => relation("'i', 'I'"),
            ExistsKind::Sequence => relation("'S'"),
            ExistsKind::Function if self.name.contains('(') => function("to_regprocedure"),
            ExistsKind::Function => function("to_regproc"),
            ExistsKind::Type => format!(
                "SELECT format('%I.%I', n.nspname, t.typname) FROM pg_catalog.pg_type t \
                 JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 WHERE t.oid = to_regtype({name})"
            ),
            ExistsKind::Constraint => format!(
                "SELECT conname::text FROM pg_catalog.pg_constraint \
                 WHERE conrelid = to_regclass({}) AND conname = {}",
                literal(owner),
                literal(own)
            ),
            ExistsKind::Trigger => format!(
                "SELECT tgname::text FROM pg_catalog.pg_trigger \
                 WHERE tgrelid = to_regclass({}) AND tgname = {} AND NOT tgisinternal",
                literal(owner),
                literal(own)
            ),
        }
    }

    fn sqlite_sql(&self) -> String {
        let (schema, own) = match self.kind {
            ExistsKind::Trigger => match self.name.split('.').collect::<Vec<_>>().as_slice() {
                [schema, _table, own] => (Some(*schema), *own),
                [_table, own] => (None, *own),
                _ => (None, self.name.as_str()),
            },
            _ => match self.name.split_once('.') {
                Some((schema, own)) => (Some(schema), own),
                None => (None, self.name.as_str()),
            },
        };
        let catalog = match schema {
            Some(schema) => format!("\"{}\".sqlite_master", schema.replace('"', "\"\"")),
            None => "sqlite_master".to_string(),
        };
        format!(
            "SELECT type || ' ' || name FROM {catalog} WHERE type = {} AND name = {}",
            literal(self.kind.as_str()),
            literal(own)
        )
    }
}

/// A SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests;
