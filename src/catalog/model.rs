//! The snapshot model: a sorted list of catalog objects, each with an OID-free identity
//! and a map of attributes. The same model serves every backend, so the diff, the
//! naming checker and the runbook never look at a backend. Pure data: no I/O.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::CatalogError;
use crate::dialect::Dialect;

/// What kind of catalog object an [`Object`] is.
///
/// Serialised in `snake_case` (`materialized_view`); shown in words (`materialized view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Schema,
    Extension,
    Type,
    Table,
    View,
    MaterializedView,
    ForeignTable,
    Column,
    Constraint,
    Index,
    Sequence,
    Function,
    Procedure,
    Aggregate,
    Trigger,
    EventTrigger,
    Policy,
    Grant,
    Comment,
    /// Anything else a migration can create (casts, collations, operators, rules, ...):
    /// the identity starts with the server's own word for it (`collation app.de`).
    #[serde(rename = "object")]
    Other,
}

impl Kind {
    /// Every kind, in sort order.
    pub const ALL: [Kind; 20] = [
        Kind::Schema,
        Kind::Extension,
        Kind::Type,
        Kind::Table,
        Kind::View,
        Kind::MaterializedView,
        Kind::ForeignTable,
        Kind::Column,
        Kind::Constraint,
        Kind::Index,
        Kind::Sequence,
        Kind::Function,
        Kind::Procedure,
        Kind::Aggregate,
        Kind::Trigger,
        Kind::EventTrigger,
        Kind::Policy,
        Kind::Grant,
        Kind::Comment,
        Kind::Other,
    ];

    /// The kind in words, as shown in findings: `materialized view`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Extension => "extension",
            Kind::Type => "type",
            Kind::Table => "table",
            Kind::View => "view",
            Kind::MaterializedView => "materialized view",
            Kind::ForeignTable => "foreign table",
            Kind::Column => "column",
            Kind::Constraint => "constraint",
            Kind::Index => "index",
            Kind::Sequence => "sequence",
            Kind::Function => "function",
            Kind::Procedure => "procedure",
            Kind::Aggregate => "aggregate",
            Kind::Trigger => "trigger",
            Kind::EventTrigger => "event trigger",
            Kind::Policy => "policy",
            Kind::Grant => "grant",
            Kind::Comment => "comment",
            Kind::Other => "object",
        }
    }

    /// Parses a kind in words (`materialized view`) or in its serialised form
    /// (`materialized_view`), ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Kind> {
        let wanted = name.trim().to_ascii_lowercase().replace('_', " ");
        Kind::ALL.into_iter().find(|kind| kind.as_str() == wanted)
    }

    /// Whether objects of this kind can own columns, constraints, indexes, triggers and
    /// policies (the objects whose [`Object::table`] names them).
    pub fn is_relation(self) -> bool {
        matches!(
            self,
            Kind::Table | Kind::View | Kind::MaterializedView | Kind::ForeignTable | Kind::Type
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An attribute value. Serialised as plain JSON (`true`, `42`, `"text"`, `["a", "b"]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<String>),
}

impl Value {
    /// The text, if this is a [`Value::Text`].
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The items, if this is a [`Value::List`].
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The flag, if this is a [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(flag) => write!(f, "{flag}"),
            Value::Int(number) => write!(f, "{number}"),
            Value::Text(text) => f.write_str(text),
            Value::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Bool(flag)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Value {
        Value::Int(number)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Value {
        Value::List(items)
    }
}

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
        // Serialising plain strings, integers and maps with string keys cannot fail.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
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
mod tests {
    use super::*;

    fn sample() -> Vec<Object> {
        vec![
            Object::new(Kind::Index, "public.ix_b", "ix_b")
                .in_schema("public")
                .on_table("t")
                .with("columns", vec!["b".to_string()])
                .with("valid", true),
            Object::new(Kind::Table, "public.t", "t")
                .in_schema("public")
                .on_table("t"),
            Object::new(Kind::Column, "public.t.b", "b")
                .in_schema("public")
                .on_table("t")
                .with("position", 2_i64)
                .with("type", "text"),
            Object::new(Kind::Column, "public.t.a", "a")
                .in_schema("public")
                .on_table("t")
                .with("position", 1_i64)
                .with("type", "integer"),
            Object::new(Kind::Schema, "public", "public").in_schema("public"),
        ]
    }

    #[test]
    fn sorted_by_kind_then_identity() {
        let snapshot = Snapshot::new(Dialect::Postgresql, sample());
        let labels: Vec<String> = snapshot.objects.iter().map(Object::label).collect();
        assert_eq!(
            labels,
            [
                "schema public",
                "table public.t",
                "column public.t.a",
                "column public.t.b",
                "index public.ix_b"
            ]
        );
        assert_eq!(
            snapshot.get(Kind::Column, "public.t.b").map(|o| &o.name),
            Some(&"b".to_string())
        );
        assert!(snapshot.get(Kind::Column, "public.t.c").is_none());
    }

    #[test]
    fn input_order_does_not_change_the_bytes() {
        let mut reversed = sample();
        reversed.reverse();
        let a = Snapshot::new(Dialect::Postgresql, sample()).to_json();
        let b = Snapshot::new(Dialect::Postgresql, reversed).to_json();
        assert_eq!(a, b);
    }

    #[test]
    fn json_round_trip() {
        let snapshot = Snapshot::new(Dialect::Sqlite, sample());
        let json = snapshot.to_json();
        assert_eq!(Snapshot::from_json(&json).ok(), Some(snapshot));
    }

    #[test]
    fn json_shape() {
        let snapshot = Snapshot::new(
            Dialect::Postgresql,
            vec![Object::new(Kind::MaterializedView, "app.mv", "mv")
                .in_schema("app")
                .with("populated", true)
                .with("definition", " SELECT 1;")],
        );
        insta::assert_snapshot!(snapshot.to_json(), @r#"
        {
          "dialect": "postgresql",
          "objects": [
            {
              "kind": "materialized_view",
              "id": "app.mv",
              "schema": "app",
              "name": "mv",
              "attrs": {
                "definition": " SELECT 1;",
                "populated": true
              }
            }
          ]
        }
        "#);
    }

    #[test]
    fn unknown_dialect_is_an_error() {
        let error = Snapshot::from_json(r#"{"dialect": "oracle", "objects": []}"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("unreadable snapshot JSON: unknown dialect `oracle` at line 1 column 20")
        );
    }

    #[test]
    fn duplicates_collapse_deterministically() {
        let a = Object::new(Kind::Constraint, "t.check (x > 0)", "").with("n", 2_i64);
        let b = Object::new(Kind::Constraint, "t.check (x > 0)", "").with("n", 1_i64);
        let one = Snapshot::new(Dialect::Sqlite, vec![a.clone(), b.clone()]);
        let two = Snapshot::new(Dialect::Sqlite, vec![b, a]);
        assert_eq!(one, two);
        assert_eq!(one.objects.len(), 1);
    }

    #[test]
    fn kinds_by_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.as_str()), Some(kind));
            let serialised = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(Kind::from_name(serialised.trim_matches('"')), Some(kind));
        }
        assert_eq!(
            Kind::from_name("Materialized_View"),
            Some(Kind::MaterializedView)
        );
        assert_eq!(Kind::from_name("tables"), None);
    }

    #[test]
    fn values_display() {
        assert_eq!(
            Value::from(vec!["a".into(), "b".into()]).to_string(),
            "[a, b]"
        );
        assert_eq!(Value::from(false).to_string(), "false");
        assert_eq!(Value::from(7_i64).to_string(), "7");
        let parsed: Value = serde_json::from_str("[\"x\"]").unwrap_or(Value::Bool(false));
        assert_eq!(parsed, Value::List(vec!["x".into()]));
    }
}
