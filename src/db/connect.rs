//! Opening connections: PostgreSQL (with `application_name = mig`,
//! `client_connection_check_interval` on 14+, and the configured `search_path` set
//! before anything else), SQLite files or memory, MySQL/MariaDB.
//! Failures are diagnosed in words with the password scrubbed; nothing here retries.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection as _};

use super::diagnose::{Attempt, ConnectError, Origin};
use super::pooler::Pooler;
use super::redact::{redact, redact_url};
use super::{query_error, DbError};
use crate::dialect::Dialect;
use crate::url::DatabaseUrl;

/// The `application_name` every PostgreSQL session of mig announces.
pub const APPLICATION_NAME: &str = "mig";

/// PostgreSQL 14+: while a statement of mig's runs, the server checks every second
/// whether mig is still there, so a client killed with SIGKILL (which cannot cancel its
/// statement) stops its server session within seconds instead of when the statement
/// ends.
const CONNECTION_CHECK: &str = "SET client_connection_check_interval = '1s'";

/// [`CONNECTION_CHECK`] for one transaction, after its `BEGIN` (through a transaction
/// pooler).
pub(super) const BEGIN_WITH_CONNECTION_CHECK: &str =
    "BEGIN; SET LOCAL client_connection_check_interval = '1s'";

/// Whether the server has `client_connection_check_interval` (PostgreSQL 14+).
pub(super) fn has_connection_check(conn: &PgConnection) -> bool {
    conn.server_version_num().is_some_and(|v| v >= 140_000)
}

/// A live connection to one of the supported backends.
#[derive(Debug)]
pub enum Connection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
    Mysql(MySqlConnection),
}

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteLocation {
    /// A private in-memory database (`sqlite://`).
    Memory,
    /// A database file, created if missing.
    File(PathBuf),
}

impl Connection {
    /// The backend behind this connection.
    pub fn dialect(&self) -> Dialect {
        match self {
            Connection::Postgres(_) => Dialect::Postgresql,
            Connection::Sqlite(_) => Dialect::Sqlite,
            Connection::Mysql(_) => Dialect::Mysql,
        }
    }

    /// Closes the connection politely (a dropped connection is closed too, abruptly).
    pub async fn close(self) -> Result<(), DbError> {
        let result = match self {
            Connection::Postgres(conn) => conn.close().await,
            Connection::Sqlite(conn) => conn.close().await,
            Connection::Mysql(conn) => conn.close().await,
        };
        result.map_err(|err| query_error("closing the connection", &err))
    }
}

/// Connects to PostgreSQL at `url` as `application_name = mig`, then sets the session's
/// settings ([`session_settings`]): `client_connection_check_interval` and, when given,
/// `search_path`, before anything else.
pub async fn connect_postgres(
    url: &DatabaseUrl,
    search_path: Option<&str>,
) -> Result<PgConnection, DbError> {
    let mut conn = connect_postgres_bare(url).await?;
    session_settings(&mut conn, search_path).await?;
    Ok(conn)
}

/// Connects to PostgreSQL at `url` as `application_name = mig`, setting nothing else
/// (what a transaction pooler's client must do: a session `SET` would stay on a server
/// connection other clients get). No `extra_float_digits` startup parameter, which
/// PgBouncer refuses unless told to ignore it.
async fn connect_postgres_bare(url: &DatabaseUrl) -> Result<PgConnection, DbError> {
    let password = url.password();
    let target = url.redacted();
    let options = PgConnectOptions::from_str(&url.to_sqlx_url())
        .map_err(|err| DbError::Url {
            url: target.clone(),
            reason: redact(&err.to_string(), password),
        })?
        .application_name(APPLICATION_NAME)
        .extra_float_digits(None);
    let address = match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    let attempt = Attempt {
        target: &target,
        user: options.get_username(),
        database: options.get_database().unwrap_or(options.get_username()),
        address: &address,
        password,
    };
    options
        .connect()
        .await
        .map_err(|err| ConnectError::from_sqlx(&attempt, &err).into())
}

/// The settings mig keeps on its own PostgreSQL sessions: `client_connection_check_interval`
/// on 14+ and the configured `search_path`.
pub(crate) async fn session_settings(
    conn: &mut PgConnection,
    search_path: Option<&str>,
) -> Result<(), DbError> {
    if has_connection_check(conn) {
        sqlx::raw_sql(CONNECTION_CHECK)
            .execute(&mut *conn)
            .await
            .map_err(|err| query_error("setting client_connection_check_interval", &err))?;
    }
    if let Some(search_path) = search_path {
        set_search_path(conn, search_path, false).await?;
    }
    Ok(())
}

/// Opens (creating if missing) a SQLite database with the given busy timeout. Foreign keys
/// stay off, SQLite's own default, as under Alembic.
pub async fn connect_sqlite(
    location: &SqliteLocation,
    busy_timeout: Duration,
) -> Result<SqliteConnection, DbError> {
    let (options, shown) = match location {
        SqliteLocation::Memory => (
            SqliteConnectOptions::new().in_memory(true),
            "sqlite://".to_string(),
        ),
        SqliteLocation::File(path) => (
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
            format!("sqlite:///{}", path.display()),
        ),
    };
    let attempt = Attempt {
        target: &shown,
        address: &shown,
        ..Attempt::default()
    };
    options
        .foreign_keys(false)
        .busy_timeout(busy_timeout)
        .connect()
        .await
        .map_err(|err| {
            let mut diagnosed = ConnectError::from_sqlx(&attempt, &err);
            if diagnosed.origin == Origin::Server {
                diagnosed.origin = Origin::Sqlite;
            }
            diagnosed.into()
        })
}

/// Connects to MySQL or MariaDB at `url` (`mysql://`, `mysql+pymysql://`, `mariadb://`).
pub async fn connect_mysql(url: &DatabaseUrl) -> Result<MySqlConnection, DbError> {
    let password = url.password();
    let target = url.redacted();
    let options =
        MySqlConnectOptions::from_str(&url.to_sqlx_url()).map_err(|err| DbError::Url {
            url: target.clone(),
            reason: redact(&err.to_string(), password),
        })?;
    let address = match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    let attempt = Attempt {
        target: &target,
        user: options.get_username(),
        database: options.get_database().unwrap_or_default(),
        address: &address,
        password,
    };
    options
        .connect()
        .await
        .map_err(|err| ConnectError::from_sqlx(&attempt, &err).into())
}

/// SQLAlchemy's SQLite URL forms: `sqlite://` is memory, `sqlite:///x.db` is relative,
/// `sqlite:////abs/x.db` is absolute; a query string is ignored.
pub fn sqlite_location(url: &str) -> Result<SqliteLocation, DbError> {
    let rest = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .ok_or_else(|| DbError::Url {
            url: redact_url(url),
            reason: "expected `sqlite:///<path>` or `sqlite://`".into(),
        })?;
    let rest = rest.split('?').next().unwrap_or_default();
    match rest.strip_prefix('/') {
        None if rest.is_empty() => Ok(SqliteLocation::Memory),
        Some("") | Some(":memory:") => Ok(SqliteLocation::Memory),
        Some(path) => Ok(SqliteLocation::File(Path::new(path).to_path_buf())),
        None => Err(DbError::Url {
            url: redact_url(url),
            reason: "a SQLite URL has no host: use `sqlite:///relative.db` or \
                     `sqlite:////absolute.db`"
                .into(),
        }),
    }
}

/// Sets a configured `search_path` (`app, "My Schema", $user`) on the session, or with
/// `local` for the open transaction only (`SET LOCAL`, through a transaction pooler).
/// The list is read and quoted by [`Dialect::search_path_list`] (the same text `--sql`
/// shows after `SET search_path TO`) and sent as a bound parameter of `set_config`, in
/// one statement: no configured text is ever part of the SQL.
pub async fn set_search_path(
    conn: &mut PgConnection,
    search_path: &str,
    local: bool,
) -> Result<(), DbError> {
    let Some(list) = Dialect::Postgresql.search_path_list(search_path) else {
        return Ok(());
    };
    sqlx::query("SELECT pg_catalog.set_config('search_path', $1, $2)")
        .bind(&list)
        .bind(local)
        .persistent(false)
        .execute(conn)
        .await
        .map_err(|err| query_error(&format!("setting search_path to `{list}`"), &err))?;
    Ok(())
}

/// Connects to a parsed URL with the project's settings: the dialect's own connector,
/// SQLite's busy timeout = `lock_timeout`, and on PostgreSQL the session settings
/// ([`session_settings`]) before anything else.
pub async fn open(
    url: &DatabaseUrl,
    settings: &crate::config::ExecSettings,
) -> Result<Connection, DbError> {
    open_detecting_pooler(url, settings)
        .await
        .map(|(conn, _)| conn)
}

/// [`open`], telling whether the URL is a transaction-mode pooler (`[mig] pooler`,
/// [`super::pooler::detect`]). Through one nothing is set on the session: each unit sets
/// what it needs in its own transaction ([`super::pooler::begin_local`]).
pub async fn open_detecting_pooler(
    url: &DatabaseUrl,
    settings: &crate::config::ExecSettings,
) -> Result<(Connection, Pooler), DbError> {
    let conn = match url.dialect() {
        Dialect::Postgresql => {
            let mut pg = connect_postgres_bare(url).await?;
            let pooler = super::pooler::detect(&mut pg, settings.pooler, url.port(), || {
                connect_postgres_bare(url)
            })
            .await?;
            if pooler.is_transaction() {
                tracing::info!(target: "mig", "Through a {}", pooler.describe());
            } else {
                session_settings(&mut pg, settings.search_path.as_deref()).await?;
            }
            return Ok((Connection::Postgres(pg), pooler));
        }
        Dialect::Mysql => Connection::Mysql(connect_mysql(url).await?),
        Dialect::Sqlite => {
            let location = match url.database() {
                Some(path) if !url.is_sqlite_memory() => SqliteLocation::File(path.into()),
                _ => SqliteLocation::Memory,
            };
            Connection::Sqlite(connect_sqlite(&location, settings.lock_timeout).await?)
        }
    };
    Ok((conn, Pooler::None))
}

#[cfg(test)]
mod tests;
