//! SQLite foreign keys by what they mean (`pragma_foreign_key_list`): every action
//! spelled out (`ON DELETE cascade` is `on update no action on delete cascade`), the
//! referred columns resolved, identified by their columns and what they refer to when
//! unnamed. Pure.

use serde::Deserialize;

use super::table::ConstraintText;
use super::text::normal_ident;
use crate::catalog::model::Object;

/// One column of a foreign key (`pragma_foreign_key_list`): rows of one key share `id`.
#[derive(Debug, Deserialize)]
pub(super) struct ForeignKeyRow {
    pub id: i64,
    pub seq: i64,
    pub table: String,
    pub from: String,
    pub to: Option<String>,
    pub on_update: String,
    pub on_delete: String,
    #[serde(rename = "match")]
    pub match_type: String,
}

/// A foreign key by what it means: its key (`foreign key (a) references n (id)`, which
/// identifies it when it has no name) and its definition, the key with every default
/// spelled out: `on update no action on delete cascade`, then `match x` unless it is
/// `NONE` and `deferrable initially deferred` when it is (the one clause only the text
/// holds).
pub(super) fn fk_definition(
    text: &ConstraintText,
    rows: &[&ForeignKeyRow],
    referred: &[String],
) -> (String, String) {
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| normal_ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(first) = rows.first() else {
        return (text.definition.clone(), text.definition.clone());
    };
    let from: Vec<String> = rows.iter().map(|r| r.from.clone()).collect();
    let mut key = format!(
        "foreign key ({}) references {}",
        list(&from),
        normal_ident(&first.table)
    );
    if !referred.is_empty() {
        key.push_str(&format!(" ({})", list(referred)));
    }
    let mut definition = key.clone();
    definition.push_str(&format!(
        " on update {} on delete {}",
        first.on_update.to_ascii_lowercase(),
        first.on_delete.to_ascii_lowercase()
    ));
    if !first.match_type.eq_ignore_ascii_case("none") {
        definition.push_str(&format!(" match {}", first.match_type.to_ascii_lowercase()));
    }
    let deferred = text.definition.contains("initially deferred")
        && !text.definition.contains("not deferrable");
    if deferred {
        definition.push_str(" deferrable initially deferred");
    }
    (key, definition)
}

/// What `pragma_foreign_key_list` adds to a foreign key read from the text.
pub(super) fn with_pragma_details(
    object: Object,
    rows: &[&ForeignKeyRow],
    referred: Vec<String>,
) -> Object {
    let Some(first) = rows.first() else {
        return object;
    };
    object
        .with("referred_columns", referred)
        .with("on_update", first.on_update.clone())
        .with("on_delete", first.on_delete.clone())
        .with("match", first.match_type.clone())
}

/// Whether the pragma rows of one foreign key are the one `constraint` declares.
pub(super) fn fk_matches(rows: &[&ForeignKeyRow], constraint: &ConstraintText) -> bool {
    let same_table = rows
        .first()
        .zip(constraint.referred_table.as_ref())
        .is_some_and(|(row, table)| row.table.eq_ignore_ascii_case(table));
    same_table
        && rows.len() == constraint.columns.len()
        && rows
            .iter()
            .zip(&constraint.columns)
            .all(|(row, column)| row.from.eq_ignore_ascii_case(column))
}
