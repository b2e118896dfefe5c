//! What a reset drops or empties, read from the catalog snapshot: every object the
//! revisions own (not extensions, not `public`, not what a revision's `Downgrade Keeps`
//! declares, not `ignore`d objects, which the snapshot already leaves out), plus mig's
//! version, history and seed tables; or, for `truncate`, every table but those. The
//! protection marker (`mig_environment`) always stays. Pure: statements are rendered
//! here and run elsewhere.

use serde::Serialize;

use crate::catalog::{Kind, Object, Snapshot};
use crate::dialect::Dialect;
use crate::revision::Keep;

/// One object a `rebuild` drops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DropItem {
    /// `table zero_admin.inbox_items`.
    pub object: String,
    pub statement: String,
    /// Tables: its rows before the reset (filled in by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// The quoted name to count rows of (tables only).
    #[serde(skip)]
    pub count_target: Option<String>,
}

/// A table `truncate` empties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmptyItem {
    /// Quoted, qualified.
    pub table: String,
    pub rows: u64,
}

/// mig's own tables, by unquoted schema and name: (version, history, seed) are dropped
/// by `rebuild` and kept by `truncate`; the environment table is never touched.
#[derive(Debug, Clone, Default)]
pub struct Bookkeeping {
    pub schema: Option<String>,
    /// Version, history and seed tables that exist.
    pub tables: Vec<String>,
}

fn kept(object: &Object, keeps: &[Keep]) -> bool {
    keeps.iter().any(|keep| {
        keep.kind == object.kind.as_str()
            && (keep.name == object.id
                || keep.name == object.name
                || object
                    .schema
                    .as_ref()
                    .is_some_and(|s| keep.name == format!("{s}.{}", object.name)))
    })
}

/// The drop statements of a `rebuild`, in dependency order: views, tables (mig's own
/// among them), standalone sequences, routines, types, event triggers, then the schemas
/// the revisions created. `CASCADE` takes indexes, triggers, constraints and owned
/// sequences with their tables.
pub fn drops(snapshot: &Snapshot, keeps: &[Keep], bookkeeping: &Bookkeeping) -> Vec<DropItem> {
    let dialect = snapshot.dialect;
    let pg = dialect == Dialect::Postgresql;
    let cascade = if pg { " CASCADE" } else { "" };
    let mut items = Vec::new();
    let mut push = |object: &Object, sql: String, count: bool| {
        items.push(DropItem {
            object: object.label(),
            statement: sql,
            rows: None,
            count_target: count.then(|| object.id.clone()),
        });
    };
    let owned = |o: &&Object| !kept(o, keeps);
    let order: [(Kind, &str); 9] = [
        (Kind::MaterializedView, "MATERIALIZED VIEW"),
        (Kind::View, "VIEW"),
        (Kind::ForeignTable, "FOREIGN TABLE"),
        (Kind::Table, "TABLE"),
        (Kind::Sequence, "SEQUENCE"),
        (Kind::Aggregate, "AGGREGATE"),
        (Kind::Procedure, "PROCEDURE"),
        (Kind::Function, "FUNCTION"),
        (Kind::Type, "TYPE"),
    ];
    for (kind, word) in order {
        if kind == Kind::Table {
            for name in &bookkeeping.tables {
                let id = dialect.qualified_name(bookkeeping.schema.as_deref(), name);
                let object = Object::new(Kind::Table, id.clone(), name.clone());
                push(&object, format!("DROP TABLE IF EXISTS {id}{cascade}"), true);
            }
        }
        for object in snapshot.of_kind(kind).filter(owned) {
            if kind == Kind::Sequence && object.text("owned_by").is_some() {
                continue;
            }
            let word = if kind == Kind::Type && object.text("type") == Some("domain") {
                "DOMAIN"
            } else {
                word
            };
            let sql = format!("DROP {word} IF EXISTS {}{cascade}", object.id);
            push(object, sql, kind == Kind::Table);
        }
    }
    for object in snapshot.of_kind(Kind::EventTrigger).filter(owned) {
        push(
            object,
            format!("DROP EVENT TRIGGER IF EXISTS {}", object.id),
            false,
        );
    }
    if pg {
        for object in snapshot.of_kind(Kind::Schema).filter(owned) {
            if object.name == "public" || Some(&object.name) == bookkeeping.schema.as_ref() {
                continue;
            }
            push(
                object,
                format!("DROP SCHEMA IF EXISTS {} CASCADE", object.id),
                false,
            );
        }
    }
    items
}

/// The tables a `truncate` empties: every table of the snapshot (mig's own are not in
/// it), quoted and qualified, in the snapshot's order. SQLite puts them in foreign-key
/// order before deleting (see the execute module).
pub fn tables_to_empty(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .of_kind(Kind::Table)
        .map(|table| table.id.clone())
        .collect()
}

#[cfg(test)]
mod tests;
