//! PostgreSQL introspection: a fixed list of queries (in `sql/postgres/*.sql`) sent as
//! one statement (`snapshot.sql`) in a read-only REPEATABLE READ transaction with
//! `search_path = ''`, so the server's deparsers print schema-qualified definitions. The
//! number of statements does not depend on the number of objects. Reads only; never
//! changes the database or the session, but for the statement
//! [`snapshot_postgres_prepared`] leaves prepared on it.

use std::collections::BTreeMap;
use std::future::poll_fn;
use std::sync::LazyLock;

use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::model::{Kind, Object, Snapshot, Value};
use super::{CatalogError, SnapshotOptions};
use crate::dialect::Dialect;

/// Finds the hidden objects (extension members, internal parts), once per statement.
const HIDDEN: &str = include_str!("sql/postgres/hidden.sql");

/// Every query starts with the `hidden` CTE read from `HIDDEN`'s.
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

/// The whole snapshot as one statement: `query, kind, id, schema, tbl, name, attrs`.
static SNAPSHOT: LazyLock<String> = LazyLock::new(|| {
    combined(include_str!("sql/postgres/snapshot.sql"), |name, sql| {
        format!("select '{name}'::text as query, q.* from (\n{sql}\n) q")
    })
});

/// The fingerprint as one statement: `kind, hash`.
static FINGERPRINT: LazyLock<String> = LazyLock::new(|| {
    combined(include_str!("sql/postgres/fingerprint.sql"), |_, sql| {
        format!("select q.kind, md5(q::text) from (\n{sql}\n) q")
    })
});

/// `template` with `{hidden}` replaced by [`HIDDEN`] and `{rows}` by every query, each
/// made a `union all` branch by `branch`.
fn combined(template: &str, branch: impl Fn(&str, &str) -> String) -> String {
    let rows: Vec<String> = QUERIES
        .iter()
        .map(|(name, sql)| branch(name, sql))
        .collect();
    template
        .replace("{hidden}", HIDDEN)
        .replace("{rows}", &rows.join("\nunion all\n"))
}

/// The name [`snapshot_postgres_prepared`] prepares the snapshot statement under.
const PREPARED: &str = "mig_snapshot";

/// Pins everything that changes how the deparsers print: qualified names, date and
/// interval literals, float digits. Gives the sorts room and turns JIT off (compiling
/// costs more than these short queries run). `set_config(..., true)` lasts until the
/// transaction (or savepoint) ends. Also says whether [`PREPARED`] exists on the session.
const SETTINGS: &str = "select \
    set_config('search_path', '', true), \
    set_config('DateStyle', 'ISO, MDY', true), \
    set_config('IntervalStyle', 'postgres', true), \
    set_config('extra_float_digits', '1', true), \
    set_config('bytea_output', 'hex', true), \
    set_config('work_mem', '64MB', true), \
    set_config('jit', 'off', true), \
    exists (select from pg_catalog.pg_prepared_statements where name = 'mig_snapshot')";

/// Statements one PostgreSQL snapshot sends: begin, settings, the snapshot statement,
/// rollback ([`snapshot_postgres_prepared`] sends one more, the `PREPARE`, the first
/// time on a session).
pub const POSTGRES_STATEMENTS: usize = 4;

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// A row of the snapshot statement: its query's name, then a [`Row`].
type TaggedRow = (
    String,
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
/// level applies. Either way it rolls back what it set. The statement is unnamed, so
/// this works on any connection, through a transaction pooler too.
pub async fn snapshot_postgres(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<Snapshot, CatalogError> {
    snapshot(conn, opts, false).await
}

/// [`snapshot_postgres`] for a session that takes many snapshots: the statement is
/// prepared on the session the first time (`PREPARE mig_snapshot`, which outlives the
/// transaction) and executed by name after, so the server parses and plans it once
/// instead of every time (about half of a snapshot's server time on a small schema).
/// Only for a connection that is its own server session: never through a
/// transaction-mode pooler, where the next transaction may run on another one.
pub async fn snapshot_postgres_prepared(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
) -> Result<Snapshot, CatalogError> {
    snapshot(conn, opts, true).await
}

async fn snapshot(
    conn: &mut PgConnection,
    opts: &SnapshotOptions,
    prepared: bool,
) -> Result<Snapshot, CatalogError> {
    let (mut tx, exists) = open(conn).await?;
    let failed = |error| CatalogError::Query {
        query: "snapshot",
        error,
    };
    let statement = if prepared {
        if !exists {
            let prepare = format!("PREPARE {PREPARED} AS {}", SNAPSHOT.as_str());
            sqlx::raw_sql(AssertSqlSafe(prepare))
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
        }
        format!("EXECUTE {PREPARED}")
    } else {
        SNAPSHOT.clone()
    };
    // Rows are read into objects as they arrive, while the server works on the next.
    let mut rows = sqlx::query_as::<_, TaggedRow>(AssertSqlSafe(statement))
        .persistent(false)
        .fetch(&mut *tx);
    let mut objects = Vec::new();
    while let Some(row) = poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
        let (query, kind, id, schema, table, name, attrs) = row.map_err(failed)?;
        let query = QUERIES
            .iter()
            .map(|(name, _)| *name)
            .find(|name| *name == query)
            .unwrap_or("snapshot");
        objects.push(object(query, (kind, id, schema, table, name, attrs))?);
    }
    drop(rows);
    close(tx).await?;
    Ok(Snapshot::new(Dialect::Postgresql, opts.retain(objects)))
}

/// A hash per object kind of the rows [`snapshot_postgres`] would read, computed by the
/// server from the same queries: equal fingerprints mean equal snapshots (whatever the
/// ignore patterns; different ones may still give equal snapshots). Four statements,
/// and nothing but the hashes crosses the wire.
pub async fn fingerprint_postgres(conn: &mut PgConnection) -> Result<Fingerprint, CatalogError> {
    let (mut tx, _) = open(conn).await?;
    let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(FINGERPRINT.as_str()))
        .persistent(false)
        .fetch_all(&mut *tx)
        .await
        .map_err(|error| CatalogError::Query {
            query: "fingerprint",
            error,
        })?;
    close(tx).await?;
    Ok(Fingerprint(rows.into_iter().collect()))
}

/// A hash per object kind (`table`, `index`, ...): see [`fingerprint_postgres`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(pub BTreeMap<String, String>);

/// Begins the read-only transaction (or a savepoint) and pins the settings; also says
/// whether the snapshot statement is prepared on the session.
async fn open(
    conn: &mut PgConnection,
) -> Result<(sqlx::Transaction<'_, sqlx::Postgres>, bool), CatalogError> {
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
    let settings: (String, String, String, String, String, String, String, bool) =
        sqlx::query_as(SETTINGS)
            .persistent(false)
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| CatalogError::Query {
                query: "settings",
                error,
            })?;
    Ok((tx, settings.7))
}

async fn close(tx: sqlx::Transaction<'_, sqlx::Postgres>) -> Result<(), CatalogError> {
    tx.rollback().await.map_err(|error| CatalogError::Query {
        query: "rollback",
        error,
    })
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
