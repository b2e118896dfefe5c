//! The one way into a database for mig's commands: the dialect's connector with the
//! project's settings, and on PostgreSQL whether the URL is a transaction-mode pooler
//! (which decides what may be set on the session). Opens one connection (a pooler
//! probe opens a second one briefly, [`pooler::detect`]); never retries.

use super::connect::{
    connect_mysql, connect_postgres_bare, connect_sqlite, session_settings, Connection,
    SqliteLocation,
};
use super::pooler::{self, Pooler};
use super::DbError;
use crate::config::ExecSettings;
use crate::dialect::Dialect;
use crate::url::DatabaseUrl;

/// Connects to a parsed URL with the project's settings: the dialect's own connector,
/// SQLite's busy timeout = `lock_timeout`, and on PostgreSQL the session settings
/// ([`super::connect::session_settings`]) before anything else.
pub async fn open(url: &DatabaseUrl, settings: &ExecSettings) -> Result<Connection, DbError> {
    open_detecting_pooler(url, settings)
        .await
        .map(|(conn, _)| conn)
}

/// [`open`], telling whether the URL is a transaction-mode pooler (`[mig] pooler`,
/// [`pooler::detect`]). Through one nothing is set on the session: each unit sets
/// what it needs in its own transaction ([`pooler::begin_local`]).
pub async fn open_detecting_pooler(
    url: &DatabaseUrl,
    settings: &ExecSettings,
) -> Result<(Connection, Pooler), DbError> {
    let conn = match url.dialect() {
        Dialect::Postgresql => {
            let mut pg = connect_postgres_bare(url).await?;
            let pooler = pooler::detect(&mut pg, settings.pooler, url.port(), || {
                connect_postgres_bare(url)
            })
            .await?;
            if pooler.is_transaction() {
                tracing::info!(target: "mig", "Through a {}", pooler.describe());
            } else {
                session_settings(&mut pg, settings.search_path.as_ref()).await?;
            }
            return Ok((Connection::Postgres(pg), pooler));
        }
        Dialect::Mysql => Connection::Mysql(connect_mysql(url).await?),
        Dialect::Sqlite => Connection::Sqlite(
            connect_sqlite(&SqliteLocation::of(url), settings.lock_timeout).await?,
        ),
    };
    Ok((conn, Pooler::None))
}
