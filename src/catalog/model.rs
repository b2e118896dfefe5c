//! The snapshot model: a sorted list of catalog objects, each with an OID-free identity
//! and a map of attributes. The same model serves every backend, so the diff, the
//! naming checker and the runbook never look at a backend. Pure data: no I/O.

mod kind;
mod value;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::CatalogError;
use crate::dialect::Dialect;

pub use kind::Kind;
pub use value::Value;

/// One catalog object.
///
/// `(kind, id)` is its identity: qualified, quoted where the backend would need quotes,
/// never an OID (`public.users`, `public.users.email`, `public.f(integer)`,
/// `on table public.users to reader`). `schema`, `table` and `name` are the unquoted
/// parts that filters and the naming checker need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    pub kind: Kind,
    pub id: String,
    /// The schema the object lives in (PostgreSQL; `None` for SQLite and for objects
    /// outside schemas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The relation the object is or belongs to, unquoted, in `schema`: a table's own
    /// name, a column's or index's table, the table that owns a sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Its own name, unquoted (`email`, `pk_users`, `f`).
    pub name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, Value>,
}

impl Object {
    /// An object without attributes.
    pub fn new(kind: Kind, id: impl Into<String>, name: impl Into<String>) -> Object {
        Object {
            kind,
            id: id.into(),
            schema: None,
            table: None,
            name: name.into(),
            attrs: BTreeMap::new(),
        }
    }

    /// Sets `schema`.
    pub fn in_schema(mut self, schema: impl Into<String>) -> Object {
        self.schema = Some(schema.into());
        self
    }

    /// Sets `table`.
    pub fn on_table(mut self, table: impl Into<String>) -> Object {
        self.table = Some(table.into());
        self
    }

    /// Adds an attribute.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Object {
        self.attrs.insert(key.to_string(), value.into());
        self
    }

    /// An attribute.
    pub fn attr(&self, key: &str) -> Option<&Value> {
        self.attrs.get(key)
    }

    /// A text attribute.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.attr(key).and_then(Value::as_text)
    }

    /// A list attribute (empty when absent).
    pub fn list(&self, key: &str) -> &[String] {
        self.attr(key).and_then(Value::as_list).unwrap_or_default()
    }

    /// `kind id`, as findings name objects: `index public.ix_users_email`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind, self.id)
    }

    fn sort_key(&self) -> (Kind, &str) {
        (self.kind, &self.id)
    }
}

/// A catalog snapshot: objects sorted by `(kind, id)`, identities unique.
///
/// Two snapshots of the same catalog serialise to the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(serialize_with = "dialect_ser", deserialize_with = "dialect_de")]
    pub dialect: Dialect,
    pub objects: Vec<Object>,
}

impl Snapshot {
    /// Sorts the objects and drops exact duplicates. When two objects share an
    /// identity, the first one (in attribute order) wins, so the result is deterministic.
    pub fn new(dialect: Dialect, mut objects: Vec<Object>) -> Snapshot {
        objects.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.attrs.cmp(&b.attrs))
        });
        objects.dedup_by(|later, earlier| later.sort_key() == earlier.sort_key());
        Snapshot { dialect, objects }
    }

    /// An empty snapshot.
    pub fn empty(dialect: Dialect) -> Snapshot {
        Snapshot::new(dialect, Vec::new())
    }

    /// The object with this identity.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Object> {
        self.objects
            .binary_search_by(|o| o.sort_key().cmp(&(kind, id)))
            .ok()
            .and_then(|at| self.objects.get(at))
    }

    /// The objects of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// How many objects of each kind (kinds without objects are left out).
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts = BTreeMap::new();
        for object in &self.objects {
            *counts.entry(object.kind).or_insert(0) += 1;
        }
        counts
    }

    /// Pretty JSON with a trailing newline; the same snapshot always gives the same bytes.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }

    /// Reads [`Snapshot::to_json`] output (objects are re-sorted).
    pub fn from_json(json: &str) -> Result<Snapshot, CatalogError> {
        let snapshot: Snapshot =
            serde_json::from_str(json).map_err(|error| CatalogError::Json { error })?;
        Ok(Snapshot::new(snapshot.dialect, snapshot.objects))
    }
}

fn dialect_ser<S: Serializer>(dialect: &Dialect, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(dialect.name())
}

fn dialect_de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Dialect, D::Error> {
    let name = String::deserialize(deserializer)?;
    Dialect::from_name(&name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown dialect `{name}`")))
}

#[cfg(test)]
mod tests;
