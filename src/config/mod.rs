//! Configuration: `alembic.ini` (ConfigParser with BasicInterpolation, `%(here)s`, the
//! process environment as defaults), the `[mig]` section, `MIG_*` overrides and flags,
//! merged once into a resolved [`Config`]. Never connects, never prints.

pub mod ini;

use std::path::PathBuf;
use std::time::Duration;

use crate::dialect::Dialect;

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

/// Settings that shape how a plan is executed or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecSettings {
    pub version_table: VersionTable,
    /// `search_path` (PostgreSQL), as written: `zero_admin, public`.
    pub search_path: Option<String>,
    /// `transaction_per_migration`.
    pub transaction_per_migration: bool,
    /// `lock` and `lock_timeout`.
    pub lock: bool,
    pub lock_timeout: Duration,
    /// `history_table`; `None` when disabled (empty value).
    pub history_table: Option<String>,
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
#[derive(Debug, Clone)]
pub struct Config {
    /// The ini file that was read.
    pub path: PathBuf,
    /// Its directory (`%(here)s`).
    pub here: PathBuf,
    /// `script_location`, resolved against `here`.
    pub script_location: PathBuf,
    /// `version_locations` (default `<script_location>/versions`), resolved.
    pub version_locations: Vec<PathBuf>,
    pub recursive_version_locations: bool,
    /// `file_template`, default `%(rev)s_%(slug)s` (after interpolation).
    pub file_template: String,
    pub truncate_slug_length: usize,
    /// `timezone` for `Create Date`, if set.
    pub timezone: Option<String>,
    /// `[mig] dialect`, or from the URL when it resolves.
    pub dialect: Option<Dialect>,
    pub exec: ExecSettings,
    pub naming: NamingConvention,
    /// `revision_id`: `timestamp` or `hex`.
    pub revision_id: RevisionIdStyle,
    pub runbook_dir: PathBuf,
    /// `ignore` patterns (kind + pattern), as written.
    pub ignore: Vec<String>,
}

/// Id generator for `mig revision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevisionIdStyle {
    #[default]
    Timestamp,
    Hex,
}
