//! Connection failures explained in words: authentication failed, user or tenant unknown,
//! host unreachable, database missing, TLS required. The server's own message is always
//! quoted, scrubbed of passwords ([`crate::url::redact`]) where it becomes mig's error.
//! Never retries.

use std::fmt;

use crate::url::{redact, Secret};

/// A failed connection attempt, diagnosed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot connect to `{target}`: {problem}; {origin}: {message}")]
pub struct ConnectError {
    /// The URL with its password masked.
    pub target: String,
    pub problem: ConnectProblem,
    /// Who produced `message`.
    pub origin: Origin,
    /// The server's (or the operating system's) message, password scrubbed.
    pub message: String,
    /// SQLSTATE or server error code, when the server sent one.
    pub code: Option<String>,
}

/// What went wrong, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectProblem {
    /// Wrong password (or another credential check failed).
    AuthenticationFailed { user: String },
    /// The server has no such role/user.
    UnknownUser { user: String },
    /// A pooler (Supavisor, PgBouncer) in front of the server does not know the user/tenant.
    PoolerUnknownUser { user: String },
    /// Nothing answers at the address: refused, no such socket, DNS failure, timeout.
    HostUnreachable { address: String },
    /// The server runs, but the database does not exist.
    DatabaseMissing { database: String },
    /// The server only accepts encrypted connections.
    TlsRequired,
    /// TLS was attempted and failed (unsupported by the server, bad certificate).
    TlsFailed,
    /// The server's access rules reject this client (`pg_hba.conf`, MySQL host grants).
    AccessDenied { user: String },
    /// SQLite cannot open or create the database file.
    FileUnavailable,
    /// Anything else; the quoted message says what.
    Other,
}

/// Where the quoted message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Server,
    Sqlite,
    Client,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Server => "the server said",
            Origin::Sqlite => "SQLite said",
            Origin::Client => "the error was",
        })
    }
}

impl fmt::Display for ConnectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectProblem::AuthenticationFailed { user } => write!(
                f,
                "authentication failed for user `{user}` (check the user name and password)"
            ),
            ConnectProblem::UnknownUser { user } => {
                write!(f, "the server does not know user `{user}`")
            }
            ConnectProblem::PoolerUnknownUser { user } => write!(
                f,
                "the connection pooler does not know user or tenant `{user}` \
                 (check the user name, which some poolers expect as `user.project`, and the port)"
            ),
            ConnectProblem::HostUnreachable { address } => {
                write!(f, "cannot reach a server at `{address}`")
            }
            ConnectProblem::DatabaseMissing { database } => {
                write!(f, "database `{database}` does not exist")
            }
            ConnectProblem::TlsRequired => f.write_str(
                "the server requires an encrypted connection (add `sslmode=require` to the URL)",
            ),
            ConnectProblem::TlsFailed => f.write_str("the TLS handshake failed"),
            ConnectProblem::AccessDenied { user } => write!(
                f,
                "the server's access rules reject user `{user}` from this client"
            ),
            ConnectProblem::FileUnavailable => f.write_str(
                "cannot open the database file (check that its directory exists and is writable)",
            ),
            ConnectProblem::Other => f.write_str("the connection failed"),
        }
    }
}

/// What we knew about the attempt, for naming things in the diagnosis.
#[derive(Debug, Clone, Default)]
pub struct Attempt<'a> {
    /// Masked URL.
    pub target: &'a str,
    pub user: &'a str,
    pub database: &'a str,
    /// `host:port` or the socket path.
    pub address: &'a str,
    /// The URL's password, scrubbed from the driver's message.
    pub password: Option<&'a Secret>,
}

impl ConnectError {
    /// Diagnoses a failed `connect` from sqlx.
    pub fn from_sqlx(attempt: &Attempt<'_>, err: &sqlx::Error) -> ConnectError {
        let (origin, code, raw) = match err {
            // MySQL: the error number (`1049`), which says more than its SQLSTATE.
            sqlx::Error::Database(db) => (
                Origin::Server,
                match db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                    Some(my) => Some(my.number().to_string()),
                    None => db.code().map(|code| code.into_owned()),
                },
                db.message().to_string(),
            ),
            sqlx::Error::Io(io) => (Origin::Client, None, io.to_string()),
            sqlx::Error::Tls(tls) => (Origin::Client, None, tls.to_string()),
            other => (Origin::Client, None, sqlx_message(other)),
        };
        let kind = match err {
            sqlx::Error::Io(_) => FailureKind::Io,
            sqlx::Error::Tls(_) => FailureKind::Tls,
            sqlx::Error::Database(_) => FailureKind::Server,
            _ => FailureKind::Other,
        };
        ConnectError {
            target: attempt.target.to_string(),
            problem: classify(kind, code.as_deref(), &raw, attempt),
            origin,
            message: redact(&raw, attempt.password.map(Secret::expose).as_slice()),
            code,
        }
    }
}

/// The broad class of a failure, before reading its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The server answered with an error.
    Server,
    /// The socket could not be opened or broke.
    Io,
    /// TLS negotiation failed.
    Tls,
    Other,
}

/// Maps a failure to a problem from its kind, SQLSTATE/error code and message.
pub fn classify(
    kind: FailureKind,
    code: Option<&str>,
    message: &str,
    attempt: &Attempt<'_>,
) -> ConnectProblem {
    let lower = message.to_ascii_lowercase();
    let user = attempt.user.to_string();
    match kind {
        FailureKind::Io => {
            return ConnectProblem::HostUnreachable {
                address: attempt.address.to_string(),
            }
        }
        FailureKind::Tls => return ConnectProblem::TlsFailed,
        FailureKind::Server | FailureKind::Other => {}
    }
    if lower.contains("tenant or user not found") || lower.contains("no such user") {
        return ConnectProblem::PoolerUnknownUser { user };
    }
    if lower.contains("ssl off")
        || lower.contains("ssl required")
        || lower.contains("ssl connection is required")
        || lower.contains("insecure transport")
        || code == Some("3159")
    {
        return ConnectProblem::TlsRequired;
    }
    match code {
        // PostgreSQL: invalid_password; MySQL: ER_ACCESS_DENIED_ERROR.
        Some("28P01") | Some("1045") => ConnectProblem::AuthenticationFailed { user },
        Some("3D000") | Some("1049") => ConnectProblem::DatabaseMissing {
            database: attempt.database.to_string(),
        },
        Some("28000") if lower.contains("does not exist") => ConnectProblem::UnknownUser { user },
        Some("28000") if lower.contains("authentication failed") => {
            ConnectProblem::AuthenticationFailed { user }
        }
        Some("28000") | Some("1130") => ConnectProblem::AccessDenied { user },
        // SQLITE_CANTOPEN
        Some("14") => ConnectProblem::FileUnavailable,
        _ if lower.contains("password authentication failed") => {
            ConnectProblem::AuthenticationFailed { user }
        }
        _ => ConnectProblem::Other,
    }
}

/// A sqlx error's text without the source location sqlx appends to protocol errors
/// (`... (sqlx_postgres::connection::tls:95)`): it names mig's dependency's code, not
/// anything the user can act on.
pub(crate) fn sqlx_message(err: &sqlx::Error) -> String {
    without_source_location(&err.to_string())
}

fn without_source_location(text: &str) -> String {
    static LOCATION: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\s*\((?:[A-Za-z_][A-Za-z0-9_]*::)+[A-Za-z_][A-Za-z0-9_]*:\d+\)").ok()
    });
    match LOCATION.as_ref() {
        Some(re) => re.replace_all(text, "").into_owned(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
