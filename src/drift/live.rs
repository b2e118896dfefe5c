//! What `mig drift` and `mig baseline` read from the target database, in one read-only session: the
//! version table's rows (if it exists), the roles (so that the private server can have the same ones),
//! the role that owns the version table (the one that ran the migrations), and the
//! catalog snapshot. Never writes: the session is `READ ONLY` before the first read.

use crate::catalog::{snapshot_postgres, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::{self, read_state, Connection, DbError};
use crate::url::DatabaseUrl;

use super::DriftError;
use crate::replay::roles::quote;

/// The target as read.
#[derive(Debug)]
pub struct Live {
    /// Whether the version table exists.
    pub versioned: bool,
    /// The version table's rows, sorted.
    pub heads: Vec<String>,
    /// Roles other than the system's (`pg_*`), sorted.
    pub roles: Vec<String>,
    /// The owner of the version table (else the role owning most relations): the role
    /// the replay runs as.
    pub owner: Option<String>,
    pub snapshot: Snapshot,
}

/// Reads the target at `url`.
pub async fn read(
    config: &Config,
    url: &DatabaseUrl,
    opts: &SnapshotOptions,
) -> Result<Live, DriftError> {
    let database = |e: DbError| DriftError::Database(e.to_string());
    let mut conn = db::open(url, &config.exec).await.map_err(database)?;
    let read = read_on(&mut conn, config, opts).await;
    let _ = conn.close().await;
    read
}

async fn read_on(
    conn: &mut Connection,
    config: &Config,
    opts: &SnapshotOptions,
) -> Result<Live, DriftError> {
    let Connection::Postgres(pg) = conn else {
        return Err(DriftError::Usage(
            "`mig drift` reads PostgreSQL databases; other backends cannot be checked yet"
                .to_string(),
        ));
    };
    let query = |what: &str, e: sqlx::Error| DriftError::Database(format!("{what}: {e}"));
    sqlx::query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        .persistent(false)
        .execute(&mut *pg)
        .await
        .map_err(|e| query("making the session read-only", e))?;
    let table = &config.exec.version_table;
    let state = read_state(conn, table)
        .await
        .map_err(|e| DriftError::Unreadable(format!("the version table `{}`: {e}", table.table)))?;
    let Connection::Postgres(pg) = conn else {
        unreachable_backend()?
    };
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY 1",
    )
    .persistent(false)
    .fetch_all(&mut *pg)
    .await
    .map_err(|e| query("reading the roles", e))?;
    let qualified = match &table.schema {
        Some(schema) => format!("{}.{}", quote(schema), quote(&table.table)),
        None => quote(&table.table),
    };
    let owner: Option<String> = sqlx::query_scalar(
        "SELECT pg_catalog.pg_get_userbyid(c.relowner)::text FROM pg_catalog.pg_class c \
         WHERE c.oid = pg_catalog.to_regclass($1)",
    )
    .persistent(false)
    .bind(&qualified)
    .fetch_optional(&mut *pg)
    .await
    .map_err(|e| query("reading the version table's owner", e))?;
    let owner = match owner {
        Some(owner) => Some(owner),
        None => sqlx::query_scalar(
            "SELECT pg_catalog.pg_get_userbyid(c.relowner)::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
             GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        )
        .persistent(false)
        .fetch_optional(&mut *pg)
        .await
        .map_err(|e| query("reading the owner of the relations", e))?,
    };
    let snapshot = snapshot_postgres(pg, opts)
        .await
        .map_err(|e| DriftError::Unreadable(format!("the catalog: {e}")))?;
    let mut heads = state.heads;
    heads.sort();
    Ok(Live {
        versioned: state.exists,
        heads,
        roles,
        owner,
        snapshot,
    })
}

/// The session was PostgreSQL a moment ago; a usage error rather than a panic if not.
fn unreachable_backend<T>() -> Result<T, DriftError> {
    Err(DriftError::Usage(
        "the connection changed backend".to_string(),
    ))
}
