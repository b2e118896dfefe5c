//! What `mig drift` and `mig baseline` read from the target database, on the session every
//! command opens ([`Session`]), without the lock: the version table's rows (if it
//! exists), the roles (so that the private server can have the same ones), the role that
//! owns the version table (the one that ran the migrations), and the catalog snapshot.
//! Never writes: the reads run in a `READ ONLY` transaction, the snapshot in its own.
//! Needs only read access (`CONNECT`, `USAGE`, `SELECT`), and works through a
//! transaction pooler.

use sqlx::postgres::PgConnection;

use crate::catalog::{snapshot_postgres, Snapshot, SnapshotOptions};
use crate::config::Config;
use crate::db::{query_error, read_state, Connection, DbError, VersionState};
use crate::engine::session::Session;
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
    let mut session = Session::open(url, &config.exec).await.map_err(database)?;
    let read = read_on(&mut session, config, opts).await;
    session.close().await;
    read
}

fn database(err: DbError) -> DriftError {
    DriftError::Database(err.to_string())
}

async fn read_on(
    session: &mut Session,
    config: &Config,
    opts: &SnapshotOptions,
) -> Result<Live, DriftError> {
    if !matches!(session.conn, Connection::Postgres(_)) {
        return Err(DriftError::Usage(
            "`mig drift` reads PostgreSQL databases; other backends cannot be checked yet"
                .to_string(),
        ));
    }
    session
        .begin_read_only(&config.exec)
        .await
        .map_err(database)?;
    let facts = facts(&mut session.conn, config).await;
    let ended = session.end_read_only().await;
    let (state, roles, owner) = facts?;
    ended.map_err(database)?;
    let Connection::Postgres(pg) = &mut session.conn else {
        unreachable_backend()?
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

/// The version table's state, the roles and the owner, read in the open transaction.
async fn facts(
    conn: &mut Connection,
    config: &Config,
) -> Result<(VersionState, Vec<String>, Option<String>), DriftError> {
    let table = &config.exec.version_table;
    let state = read_state(conn, table)
        .await
        .map_err(|e| DriftError::Unreadable(format!("the version table `{}`: {e}", table.table)))?;
    let Connection::Postgres(pg) = conn else {
        unreachable_backend()?
    };
    let roles = roles(pg).await?;
    let owner = owner(pg, config).await?;
    Ok((state, roles, owner))
}

async fn roles(pg: &mut PgConnection) -> Result<Vec<String>, DriftError> {
    sqlx::query_scalar(
        "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY 1",
    )
    .persistent(false)
    .fetch_all(&mut *pg)
    .await
    .map_err(|e| database(query_error("reading the roles", &e)))
}

/// The owner of the version table, else the role owning most relations.
async fn owner(pg: &mut PgConnection, config: &Config) -> Result<Option<String>, DriftError> {
    let table = &config.exec.version_table;
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
    .map_err(|e| database(query_error("reading the version table's owner", &e)))?;
    match owner {
        Some(owner) => Ok(Some(owner)),
        None => sqlx::query_scalar(
            "SELECT pg_catalog.pg_get_userbyid(c.relowner)::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
             GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        )
        .persistent(false)
        .fetch_optional(&mut *pg)
        .await
        .map_err(|e| database(query_error("reading the owner of the relations", &e))),
    }
}

/// The session was PostgreSQL a moment ago; a usage error rather than a panic if not.
fn unreachable_backend<T>() -> Result<T, DriftError> {
    Err(DriftError::Usage(
        "the connection changed backend".to_string(),
    ))
}
