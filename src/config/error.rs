//! Configuration errors. Every message names the file, section and key it is about;
//! none contains a password (URL errors are redacted by [`crate::url`]).

use super::ini::IniError;
use crate::url::UrlError;

/// Why the configuration could not be loaded or a value could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Alembic's text, word for word, with the path as given.
    #[error("No config file '{path}' found, or file has no '[{section}]' section")]
    NotFound { path: String, section: String },
    #[error("cannot read `{path}`: {message}")]
    Read { path: String, message: String },
    /// The working directory (where `alembic.ini` is looked for) cannot be read: removed,
    /// or not accessible.
    #[error("cannot read the working directory: {message}")]
    WorkingDirectory { message: String },
    #[error("`{path}` is not UTF-8 text")]
    NotUtf8 { path: String },
    #[error(transparent)]
    Ini(#[from] IniError),
    /// Alembic's text, word for word, then the file and section.
    #[error("No 'script_location' key found in configuration. (in `[{section}]` of `{path}`)")]
    NoScriptLocation { path: String, section: String },
    #[error(
        "`script_location = {value}` in `{path}` names a Python package resource; \
         mig needs a directory path (such as `%(here)s/migrations`)"
    )]
    PackageResource { path: String, value: String },
    #[error("invalid value `{value}` for `{key}` {origin}: expected {expected}")]
    InvalidValue {
        key: String,
        value: String,
        /// Where the value came from: `in [mig] of `alembic.ini` line 7`,
        /// `from environment variable `MIG_LOCK``, `from the command line`.
        origin: String,
        expected: &'static str,
    },
    /// A name that reaches SQL (`search_path`, `version_table`, ...) is not a name.
    #[error("invalid value `{value}` for `{key}` {origin}: {reason}")]
    InvalidName {
        key: String,
        /// The value, with control characters escaped.
        value: String,
        origin: String,
        reason: String,
    },
    #[error("unknown `[mig]` key `{key}` given as an override")]
    UnknownOverride { key: String },
    #[error(
        "no database URL: set `sqlalchemy.url` in the `[{section}]` section of `{path}` \
         or pass `--url`"
    )]
    NoUrl { path: String, section: String },
    #[error("invalid database URL {origin}: {error}")]
    Url { origin: String, error: UrlError },
    #[error(
        "cannot tell the SQL dialect: set `dialect` in the `[mig]` section of `{path}` \
         (or `MIG_DIALECT`), or give a database URL ({reason})"
    )]
    NoDialect { path: String, reason: String },
}
