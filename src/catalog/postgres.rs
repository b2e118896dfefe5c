//! PostgreSQL introspection: a fixed list of queries (in `sql/postgres/*.sql`), run in
//! one read-only REPEATABLE READ transaction with `search_path = ''`, so the server's
//! deparsers print schema-qualified definitions. The number of queries does not depend
//! on the number of objects. Reads only; never changes the database or the session.

use std::collections::BTreeMap;

use sqlx::{Connection, PgConnection};

use super::model::{Kind, Object, Snapshot, Value};
use super::{CatalogError, SnapshotOptions};
use crate::dialect::Dialect;

/// Every query shares the `hidden` CTE (extension members and internal parts).
macro_rules! query {
    ($file:literal) => {
        (
            $file,
            concat!(
                include_str!("sql/postgres/hidden.sql"),
                include_str!(concat!("sql/postgres/", $file, ".sql"))
            ),
        )
    };
}

/// `(name, text)` of each query; each returns `kind, id, schema, tbl, name, attrs`.
const QUERIES: [(&str, &str); 14] = [
    query!("schemas"),
    query!("extensions"),
    query!("relations"),
    query!("columns"),
    query!("constraints"),
    query!("indexes"),
    query!("sequences"),
    query!("functions"),
    query!("triggers"),
    query!("types"),
    query!("policies"),
    query!("grants"),
    query!("comments"),
    query!("others"),
];

/// Pins everything that changes how the deparsers print: qualified names, date and
/// interval literals, float digits. `set_config(..., true)` lasts until the transaction ends.
const SETTINGS: &str = "select \
    set_config('search_path', '', true), \
    set_config('DateStyle', 'ISO, MDY', true), \
    set_config('IntervalStyle', 'postgres', true), \
    set_config('extra_float_digits', '1', true), \
    set_config('bytea_output', 'hex', true)";

/// Statements one PostgreSQL snapshot sends: begin, settings, the queries, rollback.
pub const POSTGRES_STATEMENTS: usize = QUERIES.len() + 3;

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// Reads the catalog of the connected database.
///
/// Outside a transaction it opens a `REPEATABLE READ, READ ONLY` one; inside one it uses
/// a savepoint (the caller's isolation level then applies). Either way it rolls back.
pub async fn snapshot_postgres(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<Snapshot, CatalogError> {
    let begin_failed = |error| CatalogError::Query {
        query: "begin",
        error,
    };
    let mut tx = if conn.is_in_transaction() {
        conn.begin().await.map_err(begin_failed)?
    } else {
        conn.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(begin_failed)?
    };
    opts.queries.add(1);
    sqlx::query(SETTINGS)
        .execute(&mut *tx)
        .await
        .map_err(|error| CatalogError::Query {
            query: "settings",
            error,
        })?;
    opts.queries.add(1);
    let mut objects = Vec::new();
    for (query, sql) in QUERIES {
        let rows: Vec<Row> = sqlx::query_as(sql)
            .fetch_all(&mut *tx)
            .await
            .map_err(|error| CatalogError::Query { query, error })?;
        opts.queries.add(1);
        for row in rows {
            objects.push(object(query, row)?);
        }
    }
    tx.rollback().await.map_err(|error| CatalogError::Query {
        query: "rollback",
        error,
    })?;
    opts.queries.add(1);
    Ok(Snapshot::new(Dialect::Postgresql, opts.retain(objects)))
}

fn object(
    query: &'static str,
    (kind, id, schema, table, name, attrs): Row,
) -> Result<Object, CatalogError> {
    let bad = |detail: String| CatalogError::Row { query, detail };
    let kind = serde_json::from_value::<Kind>(serde_json::Value::String(kind.clone()))
        .map_err(|_| bad(format!("unknown kind `{kind}` for `{id}`")))?;
    let attrs: BTreeMap<String, Value> = serde_json::from_str(&attrs)
        .map_err(|e| bad(format!("attributes of {kind} `{id}`: {e}")))?;
    Ok(Object {
        kind,
        id,
        schema,
        table,
        name,
        attrs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_objects() {
        let row: Row = (
            "materialized_view".into(),
            "app.mv".into(),
            Some("app".into()),
            Some("mv".into()),
            "mv".into(),
            r#"{"populated": true, "options": ["a=1"], "n": 3, "definition": "x"}"#.into(),
        );
        let object = object("relations", row).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(object.kind, Kind::MaterializedView);
        assert_eq!(object.attr("populated"), Some(&Value::Bool(true)));
        assert_eq!(object.list("options"), ["a=1"]);
        assert_eq!(object.attr("n"), Some(&Value::Int(3)));
    }

    #[test]
    fn bad_rows_name_the_query_and_object() {
        let row = |kind: &str, attrs: &str| -> Row {
            (
                kind.into(),
                "app.t".into(),
                None,
                None,
                "t".into(),
                attrs.into(),
            )
        };
        let message = |r: Row| object("relations", r).err().map(|e| e.to_string());
        assert_eq!(
            message(row("tabel", "{}")).as_deref(),
            Some("catalog query `relations` returned an unreadable row: unknown kind `tabel` for `app.t`")
        );
        assert_eq!(
            message(row("table", r#"{"x": 1.5}"#)).as_deref(),
            Some(
                "catalog query `relations` returned an unreadable row: attributes of table \
                 `app.t`: data did not match any variant of untagged enum Value at line 1 column 10"
            )
        );
    }

    #[test]
    fn every_query_starts_with_the_shared_prefix() {
        for (name, sql) in QUERIES {
            assert!(sql.contains("with recursive hidden"), "{name}");
            assert!(
                !sql.trim_end().ends_with(';'),
                "{name} must not end with `;`"
            );
        }
        assert_eq!(POSTGRES_STATEMENTS, 17);
    }
}
