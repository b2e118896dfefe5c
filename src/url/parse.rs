//! Parsing database URLs (SQLAlchemy's `make_url` grammar, with raw `@` allowed in
//! passwords) into [`DatabaseUrl`]. Pure; errors show the URL redacted.

use super::encode::{percent_decode, query_pairs};
use super::redact::{redact_url, userinfo_end};
use super::{DatabaseUrl, Param, Secret, UrlError};
use crate::dialect::Dialect;

/// The database product named by the URL's scheme (before `+driver`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Backend {
    Postgresql,
    Sqlite,
    Mysql,
    Mariadb,
}

impl Backend {
    fn from_scheme(name: &str) -> Option<Backend> {
        match name.to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => Some(Backend::Postgresql),
            "sqlite" => Some(Backend::Sqlite),
            "mysql" => Some(Backend::Mysql),
            "mariadb" => Some(Backend::Mariadb),
            _ => None,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Backend::Postgresql => "postgresql",
            Backend::Sqlite => "sqlite",
            Backend::Mysql => "mysql",
            Backend::Mariadb => "mariadb",
        }
    }

    pub(super) fn dialect(self) -> Dialect {
        match self {
            Backend::Postgresql => Dialect::Postgresql,
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Mysql | Backend::Mariadb => Dialect::Mysql,
        }
    }

    /// SQLAlchemy driver names that address the same server (the driver itself is not
    /// used: mig connects through sqlx).
    fn known_drivers(self) -> &'static [&'static str] {
        match self {
            Backend::Postgresql => &[
                "psycopg2",
                "psycopg",
                "psycopg_async",
                "asyncpg",
                "pg8000",
                "psycopg2cffi",
            ],
            Backend::Sqlite => &["pysqlite", "aiosqlite"],
            Backend::Mysql | Backend::Mariadb => &[
                "pymysql",
                "mysqldb",
                "mysqlconnector",
                "mariadbconnector",
                "asyncmy",
                "aiomysql",
                "cymysql",
            ],
        }
    }
}

impl DatabaseUrl {
    /// Parses a SQLAlchemy-style or native database URL (see SPEC section 4; sqlx's
    /// `sqlite:file.db` and `sqlite::memory:` are accepted too).
    pub fn parse(text: &str) -> Result<DatabaseUrl, UrlError> {
        let input = text.trim();
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        if input.starts_with(['\'', '"']) || input.ends_with(['\'', '"']) {
            return Err(UrlError::Quoted {
                url: redact_url(input),
            });
        }
        let shown = || redact_url(input);
        let Some(scheme_end) = input.find("://") else {
            return match input.strip_prefix("sqlite:") {
                Some(path) => Ok(DatabaseUrl::native_sqlite(input, path)),
                None => Err(UrlError::MissingScheme { url: shown() }),
            };
        };
        let scheme = &input[..scheme_end];
        let scheme_ok = !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+');
        if !scheme_ok {
            return Err(UrlError::MissingScheme { url: shown() });
        }
        let (name, driver) = match scheme.split_once('+') {
            Some((name, driver)) => (name, Some(driver)),
            None => (scheme, None),
        };
        let backend = Backend::from_scheme(name).ok_or_else(|| UrlError::UnknownDatabase {
            name: name.to_string(),
            url: shown(),
        })?;
        if let Some(driver) = driver {
            if !backend.known_drivers().contains(&driver) {
                return Err(UrlError::UnknownDriver {
                    backend: backend.name(),
                    driver: driver.to_string(),
                    url: shown(),
                    known: backend.known_drivers().join(", "),
                });
            }
        }

        let rest = &input[scheme_end + 3..];
        let (userinfo, after_userinfo) = match userinfo_end(rest) {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let (user, password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((user, password)) => (user, Some(Secret::new(percent_decode(password)))),
                None => (info, None),
            },
            None => ("", None),
        };
        let user = (!user.is_empty()).then(|| percent_decode(user));

        let hostport_end = after_userinfo
            .find(['/', '?'])
            .unwrap_or(after_userinfo.len());
        let (host, port) = parse_hostport(&after_userinfo[..hostport_end], &shown)?;
        let after_host = &after_userinfo[hostport_end..];
        let (path, query) = match after_host.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (after_host, None),
        };
        let database = path
            .strip_prefix('/')
            .filter(|db| !db.is_empty())
            .map(percent_decode);
        let query = query.map(params).unwrap_or_default();

        if backend == Backend::Sqlite && (userinfo.is_some() || host.is_some() || port.is_some()) {
            return Err(UrlError::InvalidSqlite { url: shown() });
        }

        Ok(DatabaseUrl {
            shown: shown(),
            backend,
            driver: driver.map(str::to_string),
            user,
            password,
            authority_host: host,
            port,
            database,
            query,
        })
    }

    /// sqlx's own SQLite forms: `sqlite:relative.db`, `sqlite:/absolute.db`, `sqlite::memory:`.
    fn native_sqlite(input: &str, rest: &str) -> DatabaseUrl {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        DatabaseUrl {
            shown: redact_url(input),
            backend: Backend::Sqlite,
            driver: None,
            user: None,
            password: None,
            authority_host: None,
            port: None,
            database: (!path.is_empty()).then(|| percent_decode(path)),
            query: params(query),
        }
    }
}

fn params(query: &str) -> Vec<Param> {
    query_pairs(query)
        .into_iter()
        .map(|(key, value)| Param::new(key, value))
        .collect()
}

fn parse_hostport(
    text: &str,
    shown: &dyn Fn() -> String,
) -> Result<(Option<String>, Option<u16>), UrlError> {
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let Some((host, after)) = bracketed.split_once(']') else {
            return Err(UrlError::InvalidHost {
                url: shown(),
                reason: "`[` without a closing `]`",
            });
        };
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => {
                    return Err(UrlError::InvalidHost {
                        url: shown(),
                        reason: "unexpected text after `]`",
                    })
                }
            },
        };
        (Some(host.to_string()), port)
    } else {
        match text.split_once(':') {
            Some((host, port)) => (Some(percent_decode(host)), Some(port)),
            None => (Some(percent_decode(text)), None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(port) => Some(
            port.parse::<u16>()
                .map_err(|_| UrlError::InvalidPort { url: shown() })?,
        ),
    };
    Ok((host.filter(|h| !h.is_empty()), port))
}
