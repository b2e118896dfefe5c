//! SQLite indexes by what they mean (`pragma_index_list`, `pragma_index_xinfo`): key
//! columns with their sort order and collation always spelled out, so `(id, nid)` and
//! `(id ASC, nid ASC)` compare equal; the stored text only for what has no structure
//! (expressions, the predicate of a partial index). Pure.

use serde::Deserialize;

use super::text::{index_predicate, normal_ident, normalize, quote_ident};
use crate::catalog::model::{Kind, Object};

/// One index of a table (`pragma_index_list`), with its key columns.
#[derive(Debug, Deserialize)]
pub(super) struct IndexRow {
    pub name: String,
    pub unique: i64,
    pub origin: String,
    pub partial: i64,
    pub columns: Vec<String>,
    #[serde(default)]
    pub keys: Vec<IndexKey>,
}

/// One key column of an index (`pragma_index_xinfo`): `None` for an expression.
#[derive(Debug, Deserialize)]
pub(super) struct IndexKey {
    pub name: Option<String>,
    pub desc: i64,
    pub coll: Option<String>,
}

impl IndexKey {
    /// `name asc collate binary`: the sort order and collation always spelled out, so
    /// that `(id)` and `(id ASC)` read the same.
    fn describe(&self) -> String {
        let name = self
            .name
            .as_deref()
            .map_or_else(|| "<expression>".to_string(), normal_ident);
        let order = if self.desc != 0 { "desc" } else { "asc" };
        let collation = self
            .coll
            .as_deref()
            .unwrap_or("binary")
            .to_ascii_lowercase();
        format!("{name} {order} collate {collation}")
    }
}

/// An index by what it means: uniqueness, key columns with their sort order and
/// collation, the predicate of a partial index. The text only where the pragmas hold no
/// structure: an index on expressions (or one the pragmas do not list).
pub(super) fn index_object(
    table: &str,
    name: &str,
    sql: &str,
    pragma: Option<&IndexRow>,
) -> Object {
    let object = Object::new(Kind::Index, quote_ident(name), name).on_table(table);
    let Some(index) = pragma else {
        return object.with("definition", normalize(sql));
    };
    let keys: Vec<String> = index.keys.iter().map(IndexKey::describe).collect();
    let mut object = object
        .with("unique", index.unique != 0)
        .with("partial", index.partial != 0)
        .with("columns", index.columns.clone())
        .with("keys", keys);
    if index.keys.iter().any(|k| k.name.is_none()) {
        object = object.with("definition", normalize(sql));
    } else if let Some(predicate) = index_predicate(sql) {
        object = object.with("where", predicate);
    }
    object
}
