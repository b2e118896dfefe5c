//! PostgreSQL introspection: a fixed list of queries (in `sql/postgres/*.sql`), run in
//! one read-only REPEATABLE READ transaction with `search_path = ''`, so the server's
//! deparsers print schema-qualified definitions. The number of queries does not depend
//! on the number of objects. Reads only; never changes the database or the session.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use sqlx::{Connection, PgConnection};

use super::model::{Kind, Object, Snapshot, Value};
use super::{CatalogError, SnapshotOptions};
use crate::dialect::Dialect;

/// Finds the hidden objects (extension members, internal parts) once.
const HIDDEN: &str = include_str!("sql/postgres/hidden.sql");

/// Every other query starts with the `hidden` CTE built from `HIDDEN`'s result.
macro_rules! query {
    ($file:literal) => {
        (
            $file,
            concat!(
                include_str!("sql/postgres/prefix.sql"),
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
/// interval literals, float digits. Gives the sorts room and turns JIT off (compiling
/// costs more than these short queries run). `set_config(..., true)` lasts until the
/// transaction (or savepoint) ends.
const SETTINGS: &str = "select \
    set_config('search_path', '', true), \
    set_config('DateStyle', 'ISO, MDY', true), \
    set_config('IntervalStyle', 'postgres', true), \
    set_config('extra_float_digits', '1', true), \
    set_config('bytea_output', 'hex', true), \
    set_config('work_mem', '64MB', true), \
    set_config('jit', 'off', true)";

/// Statements one PostgreSQL snapshot sends: begin, settings, the hidden objects, the
/// queries, rollback.
pub const POSTGRES_STATEMENTS: usize = QUERIES.len() + 4;

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
/// Outside a transaction it opens a `REPEATABLE READ, READ ONLY` one; inside one begun
/// through sqlx (`Connection::begin`) it uses a savepoint, and the caller's isolation
/// level applies. Either way it rolls back what it set.
pub async fn snapshot_postgres(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<Snapshot, CatalogError> {
    let mut tx = open(conn, opts).await?;
    let (classids, objids) = hidden(&mut tx, opts).await?;
    let mut objects = Vec::new();
    for (query, sql) in QUERIES {
        let rows: Vec<Row> = sqlx::query_as(sql)
            .persistent(false)
            .bind(&classids)
            .bind(&objids)
            .fetch_all(&mut *tx)
            .await
            .map_err(|error| CatalogError::Query { query, error })?;
        opts.queries.add(1);
        for row in rows {
            objects.push(object(query, row)?);
        }
    }
    close(tx, opts).await?;
    Ok(Snapshot::new(Dialect::Postgresql, opts.retain(objects)))
}

/// A hash per object kind of the rows [`snapshot_postgres`] would read, computed by the
/// server from the same queries: equal fingerprints mean equal snapshots (whatever the
/// ignore patterns; different ones may still give equal snapshots). Five statements,
/// and nothing but the hashes crosses the wire.
pub async fn fingerprint_postgres(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<Fingerprint, CatalogError> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let rows: Vec<String> = QUERIES
            .iter()
            .map(|(_, sql)| format!("select q.kind, md5(q::text) from ({sql}\n) q"))
            .collect();
        include_str!("sql/postgres/fingerprint.sql").replace("{rows}", &rows.join("\nunion all\n"))
    });
    let mut tx = open(conn, opts).await?;
    let (classids, objids) = hidden(&mut tx, opts).await?;
    let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str()))
        .persistent(false)
        .bind(&classids)
        .bind(&objids)
        .fetch_all(&mut *tx)
        .await
        .map_err(|error| CatalogError::Query {
            query: "fingerprint",
            error,
        })?;
    opts.queries.add(1);
    close(tx, opts).await?;
    Ok(Fingerprint(rows.into_iter().collect()))
}

/// A hash per object kind (`table`, `index`, ...): see [`fingerprint_postgres`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(pub BTreeMap<String, String>);

/// Begins the read-only transaction (or a savepoint) and pins the settings.
async fn open<'c>(
    conn: &'c mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<sqlx::Transaction<'c, sqlx::Postgres>, CatalogError> {
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
        .persistent(false)
        .execute(&mut *tx)
        .await
        .map_err(|error| CatalogError::Query {
            query: "settings",
            error,
        })?;
    opts.queries.add(1);
    Ok(tx)
}

/// The hidden objects as `(classid, objid)` arrays: they only feed the other queries,
/// never the snapshot.
async fn hidden(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    opts: &SnapshotOptions,
) -> Result<(Vec<i64>, Vec<i64>), CatalogError> {
    let hidden = sqlx::query_as(HIDDEN)
        .persistent(false)
        .fetch_one(&mut **tx)
        .await
        .map_err(|error| CatalogError::Query {
            query: "hidden",
            error,
        })?;
    opts.queries.add(1);
    Ok(hidden)
}

async fn close(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    opts: &SnapshotOptions,
) -> Result<(), CatalogError> {
    tx.rollback().await.map_err(|error| CatalogError::Query {
        query: "rollback",
        error,
    })?;
    opts.queries.add(1);
    Ok(())
}

fn object(
    query: &'static str,
    (kind, id, schema, table, name, attrs): Row,
) -> Result<Object, CatalogError> {
    let bad = |detail: String| CatalogError::Row { query, detail };
    let kind = serde_json::from_value::<Kind>(serde_json::Value::String(kind.clone()))
        .map_err(|_| bad(format!("unknown kind `{kind}` for `{id}`")))?;
    // JSON nulls are attributes the object does not have.
    let attrs: BTreeMap<String, Option<Value>> = serde_json::from_str(&attrs)
        .map_err(|e| bad(format!("attributes of {kind} `{id}`: {e}")))?;
    let attrs = attrs
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect();
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
mod tests;
