//! SQLite introspection: one statement (`sql/sqlite/schema.sql`) over `sqlite_schema` and
//! the table-valued pragmas, then the stored `CREATE` text for what only the text holds
//! (CHECK constraints, constraint names, collations, generated expressions), compared in
//! normal form. Objects are described by what they mean, not how they were spelled:
//! column types and defaults in normal form, index keys with their sort order and
//! collation, foreign keys with every action spelled out (SQLite's table rebuild must
//! compare equal to the table it rebuilds). Views and triggers, which have no structure
//! to read, compare as normalised text. Reads only.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::SqliteConnection;

mod foreign_key;
mod index;
mod table;
mod text;

use super::model::{Kind, Object, Snapshot};
use super::{CatalogError, SnapshotOptions};
use crate::dialect::Dialect;
use foreign_key::{fk_definition, fk_matches, with_pragma_details, ForeignKeyRow};
use index::{index_object, IndexRow};
use table::{parse_create_table, ConstraintKind, ConstraintText, TableText};
use text::{normal_ident, normalize, normalize_expression, quote_ident};

const SCHEMA_SQL: &str = include_str!("sql/sqlite/schema.sql");

/// Statements one SQLite snapshot sends.
pub const SQLITE_STATEMENTS: usize = 1;

/// Reads the catalog of the `main` database. One statement, so one consistent read.
pub async fn snapshot_sqlite(
    conn: &mut SqliteConnection,
    opts: &SnapshotOptions,
) -> Result<Snapshot, CatalogError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(SCHEMA_SQL)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await
        .map_err(|error| CatalogError::Query {
            query: "schema",
            error,
        })?;
    let catalog = Catalog::from_rows(rows)?;
    Ok(Snapshot::new(
        Dialect::Sqlite,
        opts.retain(catalog.objects()),
    ))
}

#[derive(Debug, Deserialize)]
struct SchemaRow {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    sql: Option<String>,
    strict: Option<i64>,
    without_rowid: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct ColumnRow {
    cid: i64,
    name: String,
    #[serde(rename = "type")]
    data_type: String,
    not_null: i64,
    default: Option<String>,
    pk: i64,
    hidden: i64,
}

/// The rows of the statement, grouped by table.
#[derive(Debug, Default)]
struct Catalog {
    objects: Vec<(String, SchemaRow)>,
    columns: BTreeMap<String, Vec<ColumnRow>>,
    indexes: BTreeMap<String, Vec<IndexRow>>,
    foreign_keys: BTreeMap<String, Vec<ForeignKeyRow>>,
}

fn parse<T: DeserializeOwned>(part: &str, table: &str, data: &str) -> Result<T, CatalogError> {
    serde_json::from_str(data).map_err(|e| CatalogError::Row {
        query: "schema",
        detail: format!("{part} of `{table}`: {e}"),
    })
}

impl Catalog {
    fn from_rows(rows: Vec<(String, String, String)>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        for (part, table, data) in rows {
            match part.as_str() {
                "object" => catalog
                    .objects
                    .push((table.clone(), parse(&part, &table, &data)?)),
                "column" => {
                    let row = parse(&part, &table, &data)?;
                    catalog.columns.entry(table).or_default().push(row);
                }
                "index" => {
                    let row = parse(&part, &table, &data)?;
                    catalog.indexes.entry(table).or_default().push(row);
                }
                "foreign_key" => {
                    let row = parse(&part, &table, &data)?;
                    catalog.foreign_keys.entry(table).or_default().push(row);
                }
                other => {
                    return Err(CatalogError::Row {
                        query: "schema",
                        detail: format!("unknown part `{other}`"),
                    })
                }
            }
        }
        Ok(catalog)
    }

    fn objects(&self) -> Vec<Object> {
        let mut objects = Vec::new();
        for (table, row) in &self.objects {
            let sql = row.sql.as_deref().unwrap_or_default();
            let id = quote_ident(&row.name);
            match row.kind.as_str() {
                "table" => {
                    let text = parse_create_table(sql);
                    let mut object = Object::new(Kind::Table, &id, &row.name).on_table(&row.name);
                    if let Some(strict) = row.strict {
                        object = object.with("strict", strict != 0);
                    }
                    if let Some(without_rowid) = row.without_rowid {
                        object = object.with("without_rowid", without_rowid != 0);
                    }
                    if text.is_none() {
                        object = object.with("sql", normalize(sql));
                    }
                    objects.push(object);
                    let alias = self.rowid_alias(&row.name, row.without_rowid);
                    objects.extend(self.columns_of(&row.name, text.as_ref(), alias.as_deref()));
                    objects.extend(self.constraints_of(&row.name, text));
                }
                "view" => {
                    objects.push(
                        Object::new(Kind::View, &id, &row.name)
                            .on_table(&row.name)
                            .with("definition", normalize(sql)),
                    );
                    objects.extend(self.columns_of(&row.name, None, None));
                }
                "index" => {
                    let mut pragma = self.indexes.get(table).into_iter().flatten();
                    let index = pragma.find(|i| i.name == row.name);
                    objects.push(index_object(table, &row.name, sql, index));
                }
                "trigger" => objects.push(
                    Object::new(Kind::Trigger, &id, &row.name)
                        .on_table(table)
                        .with("definition", normalize(sql)),
                ),
                _ => objects.push(
                    Object::new(Kind::Other, format!("{} {id}", row.kind), &row.name)
                        .with("definition", normalize(sql)),
                ),
            }
        }
        objects
    }

    /// The primary-key columns of `table` (any case), in key order.
    fn primary_key_of(&self, table: &str) -> Vec<String> {
        let columns = self
            .columns
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(table))
            .map(|(_, columns)| columns);
        let mut pk: Vec<&ColumnRow> = columns.into_iter().flatten().filter(|c| c.pk > 0).collect();
        pk.sort_by_key(|c| c.pk);
        pk.into_iter().map(|c| c.name.clone()).collect()
    }

    /// The column that is an alias of the rowid: the sole primary-key column of a rowid
    /// table, declared `INTEGER`. It can never hold NULL, so `NOT NULL` on it changes
    /// nothing (SQLite assigns the next rowid either way).
    fn rowid_alias(&self, table: &str, without_rowid: Option<i64>) -> Option<String> {
        if without_rowid.is_some_and(|w| w != 0) {
            return None;
        }
        let mut pk = self
            .columns
            .get(table)
            .into_iter()
            .flatten()
            .filter(|c| c.pk > 0);
        match (pk.next(), pk.next()) {
            (Some(only), None) if only.data_type.eq_ignore_ascii_case("integer") => {
                Some(only.name.clone())
            }
            _ => None,
        }
    }

    /// The columns of `table` (or a view); `rowid_alias` reads as `NOT NULL`, which it is.
    fn columns_of(
        &self,
        table: &str,
        text: Option<&TableText>,
        rowid_alias: Option<&str>,
    ) -> Vec<Object> {
        let mut rows: Vec<&ColumnRow> = self.columns.get(table).into_iter().flatten().collect();
        rows.sort_by_key(|c| c.cid);
        let mut objects = Vec::new();
        for (position, column) in (1_i64..).zip(rows) {
            let id = format!("{}.{}", quote_ident(table), quote_ident(&column.name));
            let mut object = Object::new(Kind::Column, id, &column.name)
                .on_table(table)
                .with("type", normalize(&column.data_type).replace(" (", "("))
                .with(
                    "not_null",
                    column.not_null != 0 || rowid_alias == Some(column.name.as_str()),
                )
                .with("position", position);
            if let Some(default) = &column.default {
                object = object.with("default", normalize_expression(default));
            }
            if column.pk > 0 {
                object = object.with("primary_key", column.pk);
            }
            let parsed = text
                .into_iter()
                .flat_map(|t| &t.columns)
                .find(|c| c.name.eq_ignore_ascii_case(&column.name));
            if let Some(collation) = parsed.and_then(|c| c.collation.clone()) {
                object = object.with("collation", collation);
            }
            let stored = match column.hidden {
                2 => Some("virtual"),
                3 => Some("stored"),
                _ => None,
            };
            if let Some(stored) = stored {
                let expression = parsed.and_then(|c| c.generated.clone());
                let generated = match expression {
                    Some(expression) => format!("{expression} {stored}"),
                    None => stored.to_string(),
                };
                object = object.with("generated", generated);
            } else if column.hidden == 1 {
                object = object.with("hidden", true);
            }
            objects.push(object);
        }
        objects
    }

    /// Constraints from the table text; from the pragmas alone when the text could not
    /// be read (then without CHECK constraints and names).
    fn constraints_of(&self, table: &str, text: Option<TableText>) -> Vec<Object> {
        let mut foreign_keys = self.foreign_key_groups(table);
        let constraints = match text {
            Some(text) => text.constraints,
            None => self.constraints_from_pragmas(table, &foreign_keys),
        };
        constraints
            .into_iter()
            .map(|mut c| {
                if c.kind != ConstraintKind::ForeignKey {
                    return constraint_object(table, &c, None);
                }
                let matching = foreign_keys.iter().position(|fk| fk_matches(fk, &c));
                let Some(fk) = matching.map(|at| foreign_keys.remove(at)) else {
                    return constraint_object(table, &c, None);
                };
                let referred = self.referred_columns(&fk);
                let (key, definition) = fk_definition(&c, &fk, &referred);
                c.definition = definition;
                with_pragma_details(constraint_object(table, &c, Some(&key)), &fk, referred)
            })
            .collect()
    }

    /// The columns a foreign key refers to: as written, or the referred table's primary
    /// key when the clause names none (`REFERENCES n`).
    fn referred_columns(&self, rows: &[&ForeignKeyRow]) -> Vec<String> {
        let written: Vec<String> = rows.iter().filter_map(|r| r.to.clone()).collect();
        if !written.is_empty() {
            return written;
        }
        rows.first()
            .map(|row| self.primary_key_of(&row.table))
            .unwrap_or_default()
    }

    /// The table's foreign keys, one group of rows per key, columns in order.
    fn foreign_key_groups(&self, table: &str) -> Vec<Vec<&ForeignKeyRow>> {
        let mut groups: BTreeMap<i64, Vec<&ForeignKeyRow>> = BTreeMap::new();
        for row in self.foreign_keys.get(table).into_iter().flatten() {
            groups.entry(row.id).or_default().push(row);
        }
        groups
            .into_values()
            .map(|mut rows| {
                rows.sort_by_key(|r| r.seq);
                rows
            })
            .collect()
    }

    fn constraints_from_pragmas(
        &self,
        table: &str,
        foreign_keys: &[Vec<&ForeignKeyRow>],
    ) -> Vec<ConstraintText> {
        let mut constraints = Vec::new();
        let mut pk: Vec<&ColumnRow> = self
            .columns
            .get(table)
            .into_iter()
            .flatten()
            .filter(|c| c.pk > 0)
            .collect();
        pk.sort_by_key(|c| c.pk);
        if !pk.is_empty() {
            let columns: Vec<String> = pk.iter().map(|c| c.name.clone()).collect();
            constraints.push(synthesized(ConstraintKind::PrimaryKey, columns, None));
        }
        for index in self.indexes.get(table).into_iter().flatten() {
            if index.origin == "u" {
                constraints.push(synthesized(
                    ConstraintKind::Unique,
                    index.columns.clone(),
                    None,
                ));
            }
        }
        for fk in foreign_keys {
            let columns = fk.iter().map(|r| r.from.clone()).collect();
            let referred = fk.first().map(|r| r.table.clone());
            constraints.push(synthesized(ConstraintKind::ForeignKey, columns, referred));
        }
        constraints
    }
}

/// An unnamed constraint known only from the pragmas.
fn synthesized(
    kind: ConstraintKind,
    columns: Vec<String>,
    referred_table: Option<String>,
) -> ConstraintText {
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| normal_ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut definition = format!("{} ({})", kind.as_str(), list(&columns));
    if let Some(referred) = &referred_table {
        definition.push_str(&format!(" references {}", normal_ident(referred)));
    }
    ConstraintText {
        name: None,
        kind,
        columns,
        definition,
        referred_table,
    }
}

/// Named constraints are identified by name, unnamed ones by `key` (a foreign key's
/// columns and what they refer to) or else their definition.
fn constraint_object(table: &str, constraint: &ConstraintText, key: Option<&str>) -> Object {
    let id = match &constraint.name {
        Some(name) => format!("{}.{}", quote_ident(table), quote_ident(name)),
        None => format!(
            "{}.{}",
            quote_ident(table),
            key.unwrap_or(&constraint.definition)
        ),
    };
    let mut object = Object::new(
        Kind::Constraint,
        id,
        constraint.name.clone().unwrap_or_default(),
    )
    .on_table(table)
    .with("type", constraint.kind.as_str())
    .with("definition", constraint.definition.clone());
    if !constraint.columns.is_empty() {
        object = object.with("columns", constraint.columns.clone());
    }
    if let Some(referred) = &constraint.referred_table {
        object = object.with("referred_table", referred.clone());
    }
    object
}

#[cfg(test)]
mod tests;
