//! Opening connections: PostgreSQL (with `application_name = mig`,
//! `client_connection_check_interval` on 14+, and the configured `search_path` set
//! before anything else), SQLite files or memory, MySQL/MariaDB.
//! Failures are diagnosed in words ([`super::diagnose`]); nothing here retries.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection as _};

use super::diagnose::{Attempt, ConnectError, Origin};
use super::{query_error, DbError};
use crate::dialect::{Dialect, SearchPath};
use crate::url::{redact, DatabaseUrl, Secret};

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

impl SqliteLocation {
    /// Where a SQLite URL points (SQLAlchemy's forms: `sqlite://` is memory,
    /// `sqlite:///x.db` relative, `sqlite:////abs/x.db` absolute).
    pub fn of(url: &DatabaseUrl) -> SqliteLocation {
        match url.database() {
            Some(path) if !url.is_sqlite_memory() => SqliteLocation::File(path.into()),
            _ => SqliteLocation::Memory,
        }
    }
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
    search_path: Option<&SearchPath>,
) -> Result<PgConnection, DbError> {
    let mut conn = connect_postgres_bare(url).await?;
    session_settings(&mut conn, search_path).await?;
    Ok(conn)
}

/// Connects to PostgreSQL at `url` as `application_name = mig`, setting nothing else
/// (what a transaction pooler's client must do: a session `SET` would stay on a server
/// connection other clients get). No `extra_float_digits` startup parameter, which
/// PgBouncer refuses unless told to ignore it.
pub(super) async fn connect_postgres_bare(url: &DatabaseUrl) -> Result<PgConnection, DbError> {
    let password = url.password();
    let target = url.to_string();
    let options = PgConnectOptions::from_str(&url.to_sqlx_url())
        .map_err(|err| unusable(url, &err))?
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
    search_path: Option<&SearchPath>,
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
    let target = url.to_string();
    let options =
        MySqlConnectOptions::from_str(&url.to_sqlx_url()).map_err(|err| unusable(url, &err))?;
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

/// sqlx refused the options built from `url`; its message may quote the URL.
fn unusable(url: &DatabaseUrl, err: &sqlx::Error) -> DbError {
    DbError::Url {
        url: url.to_string(),
        reason: redact(
            &err.to_string(),
            url.password().map(Secret::expose).as_slice(),
        ),
    }
}

/// Sets a configured `search_path` (`app, "My Schema", $user`) on the session, or with
/// `local` for the open transaction only (`SET LOCAL`, through a transaction pooler).
/// The list is rendered by [`SearchPath::list`] (the same text `--sql` shows after
/// `SET search_path TO`) and sent as a bound parameter of `set_config`, in one
/// statement: no configured text is ever part of the SQL.
pub async fn set_search_path(
    conn: &mut PgConnection,
    search_path: &SearchPath,
    local: bool,
) -> Result<(), DbError> {
    let Some(list) = search_path.list() else {
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

#[cfg(test)]
mod tests;
