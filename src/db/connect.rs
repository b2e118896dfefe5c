//! Opening connections: PostgreSQL (with `application_name = mig` and the configured
//! `search_path` set before anything else), SQLite files or memory, MySQL/MariaDB.
//! Failures are diagnosed in words with the password scrubbed; nothing here retries.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection as _};

use super::diagnose::{Attempt, ConnectError, Origin};
use super::redact::{redact, redact_url, url_password};
use super::{query_error, DbError};
use crate::dialect::Dialect;

/// The `application_name` every PostgreSQL session of mig announces.
pub const APPLICATION_NAME: &str = "mig";

/// A live connection to one of the supported backends.
#[derive(Debug)]
pub enum Connection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
    Mysql(MySqlConnection),
}

/// Settings applied to every new connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSettings {
    /// `[mig] search_path` as written (`app, public`), PostgreSQL only.
    pub search_path: Option<String>,
    /// SQLite's busy timeout: how long a write waits for another connection's lock
    /// (`[mig] lock_timeout`).
    pub busy_timeout: Duration,
}

impl Default for ConnectSettings {
    fn default() -> Self {
        ConnectSettings {
            search_path: None,
            busy_timeout: Duration::from_secs(60),
        }
    }
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
    /// Connects to `url` in SQLAlchemy or native form: `postgresql[+driver]://`,
    /// `postgres://`, `mysql[+driver]://`, `mariadb[+driver]://`, `sqlite[+driver]://`
    /// (SQLAlchemy's file forms: `sqlite:///relative.db`, `sqlite:////absolute.db`,
    /// `sqlite://` for memory).
    pub async fn open(url: &str, settings: &ConnectSettings) -> Result<Connection, DbError> {
        let scheme = url.split("://").next().unwrap_or_default();
        let backend = scheme.split('+').next().unwrap_or_default();
        match backend.to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => connect_postgres(url, settings.search_path.as_deref())
                .await
                .map(Connection::Postgres),
            "mysql" | "mariadb" => connect_mysql(url).await.map(Connection::Mysql),
            "sqlite" => {
                let location = sqlite_location(url)?;
                connect_sqlite(&location, settings.busy_timeout)
                    .await
                    .map(Connection::Sqlite)
            }
            _ => Err(DbError::Url {
                url: redact_url(url),
                reason: "expected a `postgresql://`, `mysql://` or `sqlite://` URL".into(),
            }),
        }
    }

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

/// Connects to PostgreSQL at `url` as `application_name = mig`, then runs
/// `SET search_path TO ...` (each element quoted) before anything else when given.
pub async fn connect_postgres(
    url: &str,
    search_path: Option<&str>,
) -> Result<PgConnection, DbError> {
    let password = url_password(url);
    let target = redact_url(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|err| DbError::Url {
            url: target.clone(),
            reason: redact(&err.to_string(), password),
        })?
        .application_name(APPLICATION_NAME);
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
    let mut conn = options
        .connect()
        .await
        .map_err(|err| ConnectError::from_sqlx(&attempt, &err))?;
    if let Some(search_path) = search_path {
        let statement = format!("SET search_path TO {}", quote_search_path(search_path));
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut conn)
            .await
            .map_err(|err| query_error(&format!("setting search_path `{search_path}`"), &err))?;
    }
    Ok(conn)
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
pub async fn connect_mysql(url: &str) -> Result<MySqlConnection, DbError> {
    let password = url_password(url);
    let target = redact_url(url);
    let native = match url.split_once("://") {
        Some((_, rest)) => format!("mysql://{rest}"),
        None => url.to_string(),
    };
    let options = MySqlConnectOptions::from_str(&native).map_err(|err| DbError::Url {
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

/// Renders a `search_path` value as written in the config (`app, "My Schema", $user`) as
/// the argument of `SET search_path TO`: every element quoted, so no configured text can
/// change the statement. Plain identifiers are folded to lower case first, as PostgreSQL
/// folds them when unquoted; already double-quoted elements keep their case.
pub fn quote_search_path(search_path: &str) -> String {
    split_search_path(search_path)
        .iter()
        .map(|element| {
            let name = match element.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
                Some(quoted) if !quoted.is_empty() => quoted.replace("\"\"", "\""),
                _ if is_plain_identifier(element) => element.to_lowercase(),
                _ => element.to_string(),
            };
            format!("\"{}\"", name.replace('"', "\"\""))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits on commas outside double quotes; trims, drops empty elements.
fn split_search_path(text: &str) -> Vec<String> {
    let mut elements = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                current.push(ch);
            }
            ',' if !quoted => elements.push(std::mem::take(&mut current)),
            _ => current.push(ch),
        }
    }
    elements.push(current);
    elements
        .into_iter()
        .map(|element| element.trim().to_string())
        .filter(|element| !element.is_empty())
        .collect()
}

fn is_plain_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '$')
}

/// Connects to a parsed URL with the project's settings: the dialect's own connector,
/// SQLite's busy timeout = `lock_timeout`, and on PostgreSQL `search_path` set with the
/// statement the executor renders (the same text `--sql` shows) before anything else.
pub async fn open(
    url: &crate::url::DatabaseUrl,
    settings: &crate::config::ExecSettings,
) -> Result<Connection, DbError> {
    use crate::dialect::Dialect;
    let mut conn = match url.dialect() {
        Dialect::Postgresql => {
            Connection::Postgres(connect_postgres(&url.to_sqlx_url(), None).await?)
        }
        Dialect::Mysql => Connection::Mysql(connect_mysql(&url.to_sqlx_url()).await?),
        Dialect::Sqlite => {
            let location = match url.database() {
                Some(path) if !url.is_sqlite_memory() => SqliteLocation::File(path.into()),
                _ => SqliteLocation::Memory,
            };
            Connection::Sqlite(connect_sqlite(&location, settings.lock_timeout).await?)
        }
    };
    let search_path = settings
        .search_path
        .as_deref()
        .and_then(|path| conn.dialect().search_path_sql(path));
    if let (Some(sql), Connection::Postgres(pg)) = (&search_path, &mut conn) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.as_str()))
            .execute(pg)
            .await
            .map_err(|err| super::query_error(&format!("running `{sql}`"), &err))?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_elements_are_quoted() {
        assert_eq!(
            quote_search_path("zero_admin, public"),
            r#""zero_admin", "public""#
        );
        assert_eq!(
            quote_search_path(r#"App, "My, Schema", $user,,"#),
            r#""app", "My, Schema", "$user""#
        );
        assert_eq!(
            quote_search_path(r#"x"; DROP TABLE t; --"#),
            r#""x""; DROP TABLE t; --""#
        );
    }

    #[test]
    fn sqlite_urls_follow_sqlalchemy() {
        assert_eq!(
            sqlite_location("sqlite://").unwrap(),
            SqliteLocation::Memory
        );
        assert_eq!(
            sqlite_location("sqlite+pysqlite:///app.db").unwrap(),
            SqliteLocation::File("app.db".into())
        );
        assert_eq!(
            sqlite_location("sqlite:////var/lib/app.db?mode=ro").unwrap(),
            SqliteLocation::File("/var/lib/app.db".into())
        );
        assert!(sqlite_location("sqlite://host/app.db").is_err());
    }
}
