//! Configuration: `alembic.ini` (ConfigParser with BasicInterpolation, `%(here)s`, the
//! process environment as defaults), the `[mig]` section, `MIG_*` overrides and flags,
//! merged once into a resolved [`Config`]. Never connects, never prints (debug logs
//! only), never reads the process environment itself: the caller passes it in
//! [`LoadOptions`].
//!
//! `sqlalchemy.url` stays uninterpolated until [`Config::database_url`] is called, so an
//! unset `DATABASE_URL` only fails the commands that connect.

mod error;
pub mod ini;
pub mod interpolate;
mod load;
mod mig_section;
mod values;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::dialect::{Dialect, SearchPath};
use crate::url::{redact_url, DatabaseUrl};

pub use error::ConfigError;
pub use ini::{Ini, IniError};
pub use interpolate::Defaults;
pub use load::{load, process_env, LoadOptions, DEFAULT_SECTION_NAME};

/// Alembic's default `file_template` (what `%%(rev)s_%%(slug)s` reads as).
pub const DEFAULT_FILE_TEMPLATE: &str = "%(rev)s_%(slug)s";

/// Alembic's default `truncate_slug_length`.
pub const DEFAULT_TRUNCATE_SLUG_LENGTH: usize = 40;

/// Where and how the version table lives (`[mig] version_table*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTable {
    /// `version_table`, default `alembic_version`.
    pub table: String,
    /// `version_table_schema`, default none.
    pub schema: Option<String>,
    /// `version_table_pk`, default true.
    pub pk: bool,
}

impl Default for VersionTable {
    fn default() -> Self {
        VersionTable {
            table: "alembic_version".into(),
            schema: None,
            pk: true,
        }
    }
}

/// The main-section keys only `mig revision` and `mig merge` read. They are interpolated
/// when asked for ([`Config::revision_settings`]), so a bad value in one of them fails
/// only those commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSettings {
    /// `file_template`, default `%(rev)s_%(slug)s` (after interpolation).
    pub file_template: String,
    pub truncate_slug_length: usize,
    /// `timezone` for `Create Date`, if set.
    pub timezone: Option<String>,
    /// `output_encoding` for new revision files, default `utf-8`.
    pub output_encoding: String,
}

impl Default for RevisionSettings {
    fn default() -> Self {
        RevisionSettings {
            file_template: DEFAULT_FILE_TEMPLATE.to_string(),
            truncate_slug_length: DEFAULT_TRUNCATE_SLUG_LENGTH,
            timezone: None,
            output_encoding: "utf-8".to_string(),
        }
    }
}

/// mig's table of recorded seeds (SPEC section 14), beside the version table.
pub const SEED_TABLE: &str = "mig_seed";

/// mig's protection marker table (SPEC section 15), beside the version table.
pub const ENVIRONMENT_TABLE: &str = "mig_environment";

/// Settings that shape how a plan is executed or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecSettings {
    pub version_table: VersionTable,
    /// `search_path` (PostgreSQL): `zero_admin, public`, read into its names.
    pub search_path: Option<SearchPath>,
    /// `transaction_per_migration`.
    pub transaction_per_migration: bool,
    /// `lock` and `lock_timeout`.
    pub lock: bool,
    pub lock_timeout: Duration,
    /// `history_table`; `None` when disabled (empty value).
    pub history_table: Option<String>,
    /// `pooler`: whether the URL reaches the database through a transaction pooler.
    pub pooler: PoolerSetting,
}

/// `[mig] pooler`: `auto` (default: detected when connecting), `none` (a direct or
/// session-mode URL) or `transaction` (a transaction-mode pooler such as Supabase's port
/// 6543, PgBouncer or Supavisor with `pool_mode = transaction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PoolerSetting {
    #[default]
    Auto,
    None,
    Transaction,
}

impl PoolerSetting {
    /// Reads a `pooler` value (case-insensitive).
    pub fn parse(value: &str) -> Option<PoolerSetting> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(PoolerSetting::Auto),
            "none" => Some(PoolerSetting::None),
            "transaction" => Some(PoolerSetting::Transaction),
            _ => None,
        }
    }
}

impl Default for ExecSettings {
    fn default() -> Self {
        ExecSettings {
            version_table: VersionTable::default(),
            search_path: None,
            transaction_per_migration: false,
            lock: true,
            lock_timeout: Duration::from_secs(60),
            history_table: Some("mig_history".into()),
            pooler: PoolerSetting::Auto,
        }
    }
}

/// Naming-convention templates (`[mig] naming_convention.*`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NamingConvention {
    pub pk: Option<String>,
    pub fk: Option<String>,
    pub uq: Option<String>,
    pub ix: Option<String>,
    pub ck: Option<String>,
}

/// The resolved configuration: ini + environment + flags, merged once.
///
/// Built by [`load`], or by [`Config::with_defaults`] for programmatic use. `Debug` never
/// shows the database URL's password.
#[derive(Debug, Clone)]
pub struct Config {
    /// The ini file that was read (absolute).
    pub path: PathBuf,
    /// Its directory (`%(here)s`).
    pub here: PathBuf,
    /// The main section (`-n/--name`, default `alembic`).
    pub section: String,
    /// `script_location`, resolved against `here`.
    pub script_location: PathBuf,
    /// `version_locations` (default `<script_location>/versions`), resolved against `here`.
    pub version_locations: Vec<PathBuf>,
    pub recursive_version_locations: bool,
    /// `[mig] dialect`, or from the URL when it resolves.
    pub dialect: Option<Dialect>,
    pub exec: ExecSettings,
    /// The file, the `--url` flag and the `[mig]` overrides, kept for lazy resolution of
    /// the database URL and the keys only some commands use ([`Config::naming`],
    /// [`Config::runbook_dir`], ...).
    sources: Sources,
}

/// What [`Config::database_url`] resolves from. `Debug` shows no value.
#[derive(Clone, Default)]
struct Sources {
    ini: Option<Arc<Ini>>,
    defaults: Arc<Defaults>,
    /// `--url` (or [`Config::with_url`]), taken literally; wins over `sqlalchemy.url`.
    url: Option<String>,
    /// Flags and `MIG_*` variables for the lazily read `[mig]` keys.
    mig: mig_section::Lazy,
}

impl fmt::Debug for Sources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sources")
            .field("ini", &self.ini)
            .field("url", &self.url.as_deref().map(redact_url))
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with every default, for an ini file at `path` that need not
    /// exist: `script_location` is its directory, no database URL.
    pub fn with_defaults(path: impl Into<PathBuf>) -> Config {
        let path = path.into();
        let here = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config {
            section: DEFAULT_SECTION_NAME.to_string(),
            script_location: here.clone(),
            version_locations: vec![here.join("versions")],
            recursive_version_locations: false,
            dialect: None,
            exec: ExecSettings::default(),
            sources: Sources::default(),
            path,
            here,
        }
    }

    /// Replaces the database URL (taken literally, like `--url`); sets [`Config::dialect`]
    /// from it when no dialect is configured and it parses.
    pub fn with_url(mut self, url: impl Into<String>) -> Config {
        self.sources.url = Some(url.into());
        if self.dialect.is_none() {
            self.dialect = self.database_url().ok().map(|u| u.dialect());
        }
        self
    }

    /// Interpolates and parses the database URL (`--url`, else `sqlalchemy.url`). Only
    /// commands that connect call this, so a missing `DATABASE_URL` fails only them.
    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        let (text, origin) = match (&self.sources.url, &self.sources.ini) {
            (Some(raw), _) => (raw.clone(), "from `--url`".to_string()),
            (None, Some(ini)) => {
                let key = "sqlalchemy.url";
                let Some(text) = ini.get(&self.section, key, &self.sources.defaults)? else {
                    return Err(self.no_url());
                };
                let line = ini
                    .line(&self.section, key)
                    .map(|n| format!(" line {n}"))
                    .unwrap_or_default();
                let origin = format!("in `{key}` of `{}`{line}", ini.source().display());
                (text, origin)
            }
            (None, None) => return Err(self.no_url()),
        };
        if text.trim().is_empty() {
            return Err(self.no_url());
        }
        DatabaseUrl::parse(&text).map_err(|error| ConfigError::Url { origin, error })
    }

    /// `file_template`, `truncate_slug_length`, `timezone`, `output_encoding`,
    /// interpolated now (only `revision` and `merge` need them); defaults without a file.
    pub fn revision_settings(&self) -> Result<RevisionSettings, ConfigError> {
        match &self.sources.ini {
            Some(ini) => load::revision_settings(ini, &self.section, &self.sources.defaults),
            None => Ok(RevisionSettings::default()),
        }
    }

    /// Sets a lazily read `[mig]` key (`ignore`, `project`, `runbook_dir`, ...) as a flag
    /// would: taken literally, winning over the environment and the file.
    pub fn with_setting(mut self, key: &str, value: impl Into<String>) -> Config {
        self.sources
            .mig
            .overrides
            .push((key.to_string(), value.into()));
        self
    }

    fn mig_source(&self) -> mig_section::Source<'_> {
        mig_section::Source {
            ini: self.sources.ini.as_deref(),
            defaults: &self.sources.defaults,
            lazy: &self.sources.mig,
        }
    }

    /// `naming_convention.*`, interpolated now.
    pub fn naming(&self) -> Result<NamingConvention, ConfigError> {
        mig_section::naming(&self.mig_source())
    }

    /// `revision_id`: `timestamp` (default) or `hex`.
    pub fn revision_id(&self) -> Result<RevisionIdStyle, ConfigError> {
        mig_section::revision_id(&self.mig_source())
    }

    /// `runbook_dir` (default `<here>/runbook`).
    pub fn runbook_dir(&self) -> Result<PathBuf, ConfigError> {
        mig_section::directory(&self.mig_source(), "runbook_dir", &self.here, "runbook")
    }

    /// `backup_dir`: where backups go (default `<here>/backups`).
    pub fn backup_dir(&self) -> Result<PathBuf, ConfigError> {
        mig_section::directory(&self.mig_source(), "backup_dir", &self.here, "backups")
    }

    /// `seed_locations`: the directories holding seed files (default `<here>/seeds`).
    pub fn seed_locations(&self) -> Result<Vec<PathBuf>, ConfigError> {
        mig_section::seed_locations(&self.mig_source(), &self.here)
    }

    /// `ignore` patterns (kind + pattern), as written.
    pub fn ignore(&self) -> Result<Vec<String>, ConfigError> {
        mig_section::ignore(&self.mig_source())
    }

    /// `project`: the project's name in runbooks (default: the ini file's directory name).
    pub fn project(&self) -> Result<Option<String>, ConfigError> {
        mig_section::project(&self.mig_source())
    }

    /// Resolves every lazily read `[mig]` key, for commands that show them all
    /// (`runbook`): the first bad one is the error.
    pub fn check_settings(&self) -> Result<(), ConfigError> {
        self.naming()?;
        self.revision_id()?;
        self.runbook_dir()?;
        self.backup_dir()?;
        self.seed_locations()?;
        self.ignore()?;
        self.project()?;
        Ok(())
    }

    /// The SQL dialect: `[mig] dialect` (or `MIG_DIALECT`), else the database URL's.
    pub fn dialect(&self) -> Result<Dialect, ConfigError> {
        if let Some(dialect) = self.dialect {
            return Ok(dialect);
        }
        self.database_url()
            .map(|url| url.dialect())
            .map_err(|e| ConfigError::NoDialect {
                path: self.display_path(),
                reason: e.to_string(),
            })
    }

    fn no_url(&self) -> ConfigError {
        ConfigError::NoUrl {
            path: self.display_path(),
            section: self.section.clone(),
        }
    }

    /// The ini file as the user named it (for messages).
    fn display_path(&self) -> String {
        match &self.sources.ini {
            Some(ini) => ini.source().display().to_string(),
            None => self.path.display().to_string(),
        }
    }
}

pub use crate::revision::directory::RevisionIdStyle;

#[cfg(test)]
mod tests;
