//! The kinds of catalog objects, with their names in words and in JSON.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of catalog object an [`Object`](super::Object) is.
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
    /// policies (the objects whose [`Object::table`](super::Object::table) names them).
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
