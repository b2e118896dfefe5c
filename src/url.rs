//! Database URLs: parsing SQLAlchemy and native forms, normalisation, and password
//! redaction. Pure text: never connects, never logs.
//!
//! A [`DatabaseUrl`] carries its password as a [`Secret`] (a `password` query value too)
//! and keeps no copy of the text as given: its `Display`, `Debug`, serde form and errors
//! show `***`, and the password is reachable only through [`DatabaseUrl::password`] and
//! [`DatabaseUrl::to_sqlx_url`], for connecting. Free text from elsewhere (a driver's or
//! a server's message) is scrubbed by the one function [`redact`].
//!
//! Parsing follows SQLAlchemy's `make_url` with one deliberate difference: a raw `@` in
//! the password is accepted. The userinfo ends at the last `@` before the first `?`
//! (or at the last `@` when none precedes a `?`, since a password may contain `?`);
//! SQLAlchemy cuts it at the first `@`. So a raw `@` in a database name or a query
//! value must be percent-encoded.

mod encode;
mod parse;
mod redact;
mod secret;

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::dialect::Dialect;

pub use redact::redact;
pub use secret::Secret;

pub(crate) use encode::encode_component;
/// Percent-encodes a file path (also for the SARIF locations of `crate::diagnostics`).
pub(crate) use encode::encode_path;
use encode::encode_query;
use parse::Backend;
pub(crate) use redact::redact_url;

/// A parsed database URL. The password never appears in `Debug`, `Display` or serde.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// The URL as given (trimmed) with its password masked: what `Display` shows.
    shown: String,
    backend: Backend,
    driver: Option<String>,
    user: Option<String>,
    password: Option<Secret>,
    /// The host as written in the authority (percent-decoded).
    authority_host: Option<String>,
    port: Option<u16>,
    database: Option<String>,
    query: Vec<Param>,
}

/// A query parameter, decoded; the value of a `password` key (any case) is a secret.
#[derive(Clone, PartialEq, Eq)]
struct Param {
    key: String,
    value: ParamValue,
}

#[derive(Clone, PartialEq, Eq)]
enum ParamValue {
    Plain(String),
    Secret(Secret),
}

impl Param {
    fn new(key: String, value: String) -> Param {
        let value = if key.eq_ignore_ascii_case("password") {
            ParamValue::Secret(Secret::new(value))
        } else {
            ParamValue::Plain(value)
        };
        Param { key, value }
    }

    fn plain(&self) -> Option<&str> {
        match &self.value {
            ParamValue::Plain(value) => Some(value),
            ParamValue::Secret(_) => None,
        }
    }
}

/// Why a database URL was refused. Every message shows the URL with its password
/// replaced by `***`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the database URL is empty")]
    Empty,
    #[error(
        "the database URL `{url}` is wrapped in quotes; remove them \
         (quotes in a `.env` file or an environment variable are kept literally)"
    )]
    Quoted { url: String },
    #[error(
        "`{url}` is not a database URL: it has no scheme such as `postgresql://`, \
         `sqlite:///` or `mysql://`"
    )]
    MissingScheme { url: String },
    #[error(
        "unsupported database `{name}` in `{url}`: mig supports `postgresql`, `postgres`, \
         `sqlite`, `mysql` and `mariadb`"
    )]
    UnknownDatabase { name: String, url: String },
    #[error("unknown driver `{driver}` for {backend} in `{url}`; known drivers: {known}")]
    UnknownDriver {
        backend: &'static str,
        driver: String,
        url: String,
        known: String,
    },
    #[error("the port in `{url}` is not a number between 0 and 65535")]
    InvalidPort { url: String },
    #[error("the host in `{url}` is not valid: {reason}")]
    InvalidHost { url: String, reason: &'static str },
    #[error(
        "invalid SQLite URL `{url}`; valid forms are `sqlite://` (in memory), \
         `sqlite:///relative/path/to/file.db` and `sqlite:////absolute/path/to/file.db`"
    )]
    InvalidSqlite { url: String },
}

impl DatabaseUrl {
    /// The SQL dialect (`mariadb` URLs use the MySQL dialect).
    pub fn dialect(&self) -> Dialect {
        self.backend.dialect()
    }

    /// The driver as written after `+` (`psycopg2` in `postgresql+psycopg2://`).
    pub fn driver(&self) -> Option<&str> {
        self.driver.as_deref()
    }

    /// The user name, percent-decoded.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The password, percent-decoded (from the userinfo, else a `password` query
    /// parameter). For connecting only: [`Secret::expose`] it to a driver, never print it.
    pub fn password(&self) -> Option<&Secret> {
        self.password.as_ref().or_else(|| {
            self.query.iter().find_map(|param| match &param.value {
                ParamValue::Secret(secret) if param.key == "password" => Some(secret),
                _ => None,
            })
        })
    }

    /// The host: a name, an IP address (IPv6 without brackets) or a unix-socket
    /// directory, from the authority (`%2Ftmp` decoded) or from a `host=` (PostgreSQL),
    /// `unix_socket=` or `socket=` (MySQL) query parameter.
    pub fn host(&self) -> Option<&str> {
        let from_query = match self.backend {
            Backend::Postgresql => self.query_value("host"),
            Backend::Mysql | Backend::Mariadb => self
                .query_value("unix_socket")
                .or_else(|| self.query_value("socket")),
            Backend::Sqlite => None,
        };
        from_query.or(self.authority_host.as_deref())
    }

    /// The port, if given.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The database name, or for SQLite the file path as written (relative paths are
    /// relative to the working directory; `None` or `:memory:` for in-memory).
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The query parameters in the order given, decoded, without `password` values.
    pub fn query(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .filter_map(|param| Some((param.key.as_str(), param.plain()?)))
            .collect()
    }

    /// Whether this is an in-memory SQLite database (`sqlite://`, `sqlite:///:memory:`).
    pub fn is_sqlite_memory(&self) -> bool {
        self.backend == Backend::Sqlite
            && matches!(self.database.as_deref(), None | Some(":memory:"))
    }

    /// This URL naming database `name` instead (a scratch database on the same server):
    /// the path replaced, everything else as given.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        DatabaseUrl {
            shown: replace_path(&self.shown, &encode_component(name)),
            database: Some(name.to_string()),
            ..self.clone()
        }
    }

    /// This URL without its password (neither in the userinfo nor as a `password`
    /// parameter), for a client tool that takes the password separately (`PGPASSWORD`).
    pub fn without_password(&self) -> DatabaseUrl {
        let mut url = self.clone();
        url.password = None;
        url.query
            .retain(|param| matches!(param.value, ParamValue::Plain(_)));
        url
    }

    /// The redacted URL in mig's native form: scheme without driver, `postgres` spelled
    /// `postgresql`, components re-encoded (`postgresql://user:***@host:6543/postgres?sslmode=require`).
    pub fn normalized(&self) -> String {
        self.render(Shown::Redacted, self.backend.name())
    }

    /// The URL sqlx connects with, password included. For connecting only: never print
    /// it, log it or put it in an error.
    pub fn to_sqlx_url(&self) -> String {
        match self.backend {
            Backend::Postgresql => self.postgres_sqlx().render(Shown::Plain, "postgres"),
            Backend::Mysql | Backend::Mariadb => self.mysql_sqlx().render(Shown::Plain, "mysql"),
            Backend::Sqlite => self.sqlite_sqlx_url(),
        }
    }

    /// sqlx reads a MySQL unix socket from `socket=` and refuses an empty host; PyMySQL
    /// and SQLAlchemy spell it `unix_socket=` (`mysql+pymysql://u@/db?unix_socket=/run/
    /// mysqld/mysqld.sock`): the parameter is renamed and the host becomes `localhost`.
    fn mysql_sqlx(&self) -> DatabaseUrl {
        let mut url = self.clone();
        let mut socket = false;
        for param in &mut url.query {
            if param.key == "unix_socket" {
                param.key = "socket".to_string();
            }
            socket |= param.key == "socket";
        }
        if socket && url.authority_host.is_none() {
            url.authority_host = Some("localhost".to_string());
        }
        url
    }

    /// sqlx refuses an empty host (`postgresql://u@/db?host=/run/pg`, the SQLAlchemy and
    /// libpq form for unix sockets): the `host` (and `port`) parameters move into the
    /// authority, where sqlx reads a percent-encoded socket directory.
    fn postgres_sqlx(&self) -> DatabaseUrl {
        let mut url = self.clone();
        if url.authority_host.is_none() {
            if let Some(host) = self.query_value("host") {
                url.authority_host = Some(host.to_string());
                if url.port.is_none() {
                    url.port = self.query_value("port").and_then(|p| p.parse().ok());
                }
                url.query.retain(|p| p.key != "host" && p.key != "port");
            }
        }
        url
    }

    fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|param| param.key == key)
            .and_then(Param::plain)
    }

    fn render(&self, shown: Shown, scheme: &str) -> String {
        let mut out = format!("{scheme}://");
        if self.backend == Backend::Sqlite {
            if let Some(db) = &self.database {
                out.push('/');
                out.push_str(&encode_path(db));
            }
        } else {
            if self.user.is_some() || self.password.is_some() {
                if let Some(user) = &self.user {
                    out.push_str(&encode_component(user));
                }
                if let Some(password) = &self.password {
                    out.push(':');
                    out.push_str(&shown.password(password));
                }
                out.push('@');
            }
            if let Some(host) = &self.authority_host {
                if host.contains(':') {
                    out.push_str(&format!("[{host}]"));
                } else {
                    out.push_str(&encode_component(host));
                }
            }
            if let Some(port) = self.port {
                out.push_str(&format!(":{port}"));
            }
            if let Some(db) = &self.database {
                out.push('/');
                out.push_str(&encode_component(db));
            }
        }
        let params: Vec<(String, String)> = self
            .query
            .iter()
            .map(|param| {
                let value = match &param.value {
                    ParamValue::Plain(value) => encode_query(value),
                    ParamValue::Secret(secret) => shown.password(secret),
                };
                (encode_query(&param.key), value)
            })
            .collect();
        push_query(&mut out, &params);
        out
    }

    fn sqlite_sqlx_url(&self) -> String {
        if self.is_sqlite_memory() {
            return "sqlite::memory:".to_string();
        }
        // sqlx refuses query parameters it does not know (pysqlite's `timeout`,
        // `check_same_thread`, `uri`), and unlike pysqlite it does not create a missing
        // file unless asked to with `mode=rwc`.
        const SQLX_PARAMS: [&str; 4] = ["mode", "cache", "immutable", "vfs"];
        let mut params: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|param| SQLX_PARAMS.contains(&param.key.as_str()))
            .filter_map(|param| Some((encode_query(&param.key), encode_query(param.plain()?))))
            .collect();
        if !params.iter().any(|(k, _)| k == "mode") {
            params.push(("mode".into(), "rwc".into()));
        }
        let mut out = String::from("sqlite://");
        if let Some(db) = &self.database {
            out.push_str(&encode_path(db));
        }
        push_query(&mut out, &params);
        out
    }
}

/// How a rendering shows the password.
#[derive(Clone, Copy)]
enum Shown {
    Plain,
    Redacted,
}

impl Shown {
    fn password(self, password: &Secret) -> String {
        match self {
            Shown::Plain => encode_component(password.expose()),
            Shown::Redacted => "***".to_string(),
        }
    }
}

/// `url` (text after parsing) with its path replaced by `encoded`; the query and
/// everything before the path as they are.
fn replace_path(url: &str, encoded: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_string();
    };
    let (head, query) = match url.find('?') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    let authority_start = head[scheme_end..]
        .rfind('@')
        .map_or(scheme_end, |at| scheme_end + at + 1);
    let path_start = head[authority_start..]
        .find('/')
        .map_or(head.len(), |at| authority_start + at);
    format!("{}/{encoded}{query}", &head[..path_start])
}

fn push_query(out: &mut String, params: &[(String, String)]) {
    for (i, (k, v)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

impl FromStr for DatabaseUrl {
    type Err = UrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DatabaseUrl::parse(s)
    }
}

/// The URL as given, with the password replaced by `***`.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("url", &self.shown)
            .field("dialect", &self.dialect())
            .field("driver", &self.driver)
            .field("user", &self.user)
            .field("password", &self.password())
            .field("host", &self.host())
            .field("port", &self.port)
            .field("database", &self.database)
            .finish_non_exhaustive()
    }
}

impl Serialize for DatabaseUrl {
    /// Serialised as the redacted URL.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.shown)
    }
}

#[cfg(test)]
mod tests;
