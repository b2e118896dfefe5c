//! The `[mig]` section (what Alembic keeps in `env.py`): each key from a flag override,
//! else `MIG_<KEY>` in the environment, else the file, else its default (SPEC section 3).
//! Values from the file are interpolated; values from flags and the environment are
//! taken literally. [`read`] resolves the keys every command uses (dialect and execution
//! settings) when the file loads; the others (naming conventions, `revision_id`,
//! `runbook_dir`, `seed_locations`, `backup_dir`, `ignore`, `project`) are resolved when
//! a command asks for them ([`Lazy`]), so a bad value fails only the commands that use
//! it.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::interpolate::Defaults;
use super::values::{self, absolute, parse_bool, parse_duration, split_list};
use super::{
    ConfigError, ExecSettings, Ini, NamingConvention, PoolerSetting, RevisionIdStyle, VersionTable,
};
use crate::dialect::{check_name, Dialect, NameError, SearchPath};

/// The section's name.
pub(super) const SECTION: &str = "mig";

/// Every `[mig]` key.
pub(super) const KEYS: &[&str] = &[
    "dialect",
    "version_table",
    "version_table_schema",
    "version_table_pk",
    "search_path",
    "transaction_per_migration",
    "lock",
    "lock_timeout",
    "history_table",
    "naming_convention.pk",
    "naming_convention.fk",
    "naming_convention.uq",
    "naming_convention.ix",
    "naming_convention.ck",
    "revision_id",
    "runbook_dir",
    "seed_locations",
    "backup_dir",
    "ignore",
    "project",
    "pooler",
];

/// The environment variable that overrides `key`: `MIG_` + upper-cased key, `.` -> `_`.
pub(super) fn env_var(key: &str) -> String {
    format!("MIG_{}", key.to_uppercase().replace('.', "_"))
}

/// The `[mig]` settings every command uses, resolved when the file loads.
pub(super) struct MigSettings {
    pub dialect: Option<Dialect>,
    pub exec: ExecSettings,
}

/// What the lazily read keys are resolved from: flags, `MIG_*` variables and the
/// working directory (the file and its defaults are kept beside them).
#[derive(Clone, Default)]
pub(super) struct Lazy {
    /// Flag overrides (and [`super::Config::with_setting`]), last one wins.
    pub overrides: Vec<(String, String)>,
    /// The `MIG_*` variables of the environment.
    pub env: std::collections::BTreeMap<String, String>,
    pub cwd: PathBuf,
}

/// Reads the `[mig]` keys every command uses from their highest-priority sources.
pub(super) fn read(
    ini: &Ini,
    defaults: &Defaults,
    lazy: &Lazy,
) -> Result<MigSettings, ConfigError> {
    if let Some((key, _)) = lazy
        .overrides
        .iter()
        .find(|(k, _)| !KEYS.contains(&k.as_str()))
    {
        return Err(ConfigError::UnknownOverride { key: key.clone() });
    }
    for key in ini.own_keys(SECTION) {
        if !KEYS.contains(&key) {
            tracing::debug!(file = %ini.source().display(), key, "ignoring an unknown `[mig]` key");
        }
    }
    let source = Source {
        ini: Some(ini),
        defaults,
        lazy,
    };
    let version_table = VersionTable {
        table: source
            .text("version_table")?
            .map(|raw| raw.non_empty("a table name")?.name())
            .transpose()?
            .unwrap_or_else(|| VersionTable::default().table),
        schema: source.name("version_table_schema")?,
        pk: source.boolean("version_table_pk", true)?,
    };
    let exec = ExecSettings {
        version_table,
        search_path: match source.text("search_path")? {
            Some(raw) if raw.value.is_empty() => None,
            Some(raw) => match SearchPath::parse(&raw.value) {
                Ok(path) => Some(path),
                Err(error) => return Err(raw.bad_name(&error)),
            },
            None => None,
        },
        transaction_per_migration: source.boolean("transaction_per_migration", false)?,
        lock: source.boolean("lock", true)?,
        lock_timeout: match source.text("lock_timeout")? {
            Some(raw) => parse_duration(&raw.value).ok_or_else(|| raw.invalid(values::DURATION))?,
            None => ExecSettings::default().lock_timeout,
        },
        history_table: match source.text("history_table")? {
            Some(raw) if raw.value.is_empty() => None,
            Some(raw) => Some(raw.name()?),
            None => ExecSettings::default().history_table,
        },
        pooler: match source.text("pooler")? {
            Some(raw) if raw.value.is_empty() => PoolerSetting::default(),
            Some(raw) => PoolerSetting::parse(&raw.value)
                .ok_or_else(|| raw.invalid("`auto`, `none` or `transaction`"))?,
            None => PoolerSetting::default(),
        },
    };
    let dialect = match source.text("dialect")? {
        Some(raw) if raw.value.is_empty() => None,
        Some(raw) => Some(
            Dialect::from_name(&raw.value)
                .ok_or_else(|| raw.invalid("`postgresql`, `sqlite` or `mysql`"))?,
        ),
        None => None,
    };
    Ok(MigSettings { dialect, exec })
}

/// `naming_convention.*`.
pub(super) fn naming(source: &Source) -> Result<NamingConvention, ConfigError> {
    Ok(NamingConvention {
        pk: source.optional("naming_convention.pk")?,
        fk: source.optional("naming_convention.fk")?,
        uq: source.optional("naming_convention.uq")?,
        ix: source.optional("naming_convention.ix")?,
        ck: source.optional("naming_convention.ck")?,
    })
}

/// `revision_id`.
pub(super) fn revision_id(source: &Source) -> Result<RevisionIdStyle, ConfigError> {
    Ok(match source.text("revision_id")? {
        Some(raw) => match raw.value.to_lowercase().as_str() {
            "timestamp" => RevisionIdStyle::Timestamp,
            "hex" => RevisionIdStyle::Hex,
            _ => return Err(raw.invalid("`timestamp` or `hex`")),
        },
        None => RevisionIdStyle::default(),
    })
}

/// A directory key (`runbook_dir`, `backup_dir`), else `here/<default>`. A path written
/// in the file is relative to the file; one given on the command line or in the
/// environment, to the working directory.
pub(super) fn directory(
    source: &Source,
    key: &'static str,
    here: &Path,
    default: &str,
) -> Result<PathBuf, ConfigError> {
    Ok(match source.text(key)? {
        Some(raw) if !raw.value.is_empty() => {
            absolute(source.base(&raw, here), Path::new(&raw.value))
        }
        _ => here.join(default),
    })
}

/// `seed_locations`, else `here/seeds`.
pub(super) fn seed_locations(source: &Source, here: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    Ok(match source.text("seed_locations")? {
        Some(raw) if !raw.value.is_empty() => split_list(&raw.value)
            .iter()
            .map(|item| absolute(source.base(&raw, here), Path::new(item)))
            .collect(),
        _ => vec![here.join("seeds")],
    })
}

/// `ignore` patterns, as written.
pub(super) fn ignore(source: &Source) -> Result<Vec<String>, ConfigError> {
    Ok(source
        .text("ignore")?
        .map(|raw| split_list(&raw.value))
        .unwrap_or_default())
}

/// `project`, unset when empty.
pub(super) fn project(source: &Source) -> Result<Option<String>, ConfigError> {
    source.optional("project")
}

/// Where `[mig]` values come from.
pub(super) struct Source<'a> {
    /// The file, when there is one.
    pub ini: Option<&'a Ini>,
    pub defaults: &'a Defaults,
    pub lazy: &'a Lazy,
}

/// A value (trimmed) and where it came from.
struct Raw {
    key: &'static str,
    value: String,
    origin: String,
    from_file: bool,
}

impl Raw {
    fn invalid(self, expected: &'static str) -> ConfigError {
        ConfigError::InvalidValue {
            key: self.key.to_string(),
            value: self.value,
            origin: self.origin,
            expected,
        }
    }

    fn non_empty(self, expected: &'static str) -> Result<Raw, ConfigError> {
        if self.value.is_empty() {
            Err(self.invalid(expected))
        } else {
            Ok(self)
        }
    }

    /// The value as a name that reaches SQL, refused when no quoting can carry it.
    fn name(self) -> Result<String, ConfigError> {
        match check_name(&self.value) {
            Ok(()) => Ok(self.value),
            Err(error) => Err(self.bad_name(&error)),
        }
    }

    fn bad_name(self, error: &NameError) -> ConfigError {
        ConfigError::InvalidName {
            key: self.key.to_string(),
            value: self
                .value
                .chars()
                .map(|c| match c {
                    c if c.is_control() => c.escape_default().to_string(),
                    c => c.to_string(),
                })
                .collect(),
            origin: self.origin,
            reason: error.to_string(),
        }
    }
}

impl Source<'_> {
    /// The directory relative paths of `raw` are resolved in.
    fn base<'p>(&'p self, raw: &Raw, here: &'p Path) -> &'p Path {
        if raw.from_file {
            here
        } else {
            self.lazy.cwd.as_path()
        }
    }

    /// The value of `key` from the first source that has it.
    fn text(&self, key: &'static str) -> Result<Option<Raw>, ConfigError> {
        if let Some((_, value)) = self.lazy.overrides.iter().rev().find(|(k, _)| k == key) {
            return Ok(Some(Raw {
                key,
                value: value.trim().to_string(),
                origin: "from the command line".to_string(),
                from_file: false,
            }));
        }
        let var = env_var(key);
        if let Some(value) = self.lazy.env.get(&var) {
            return Ok(Some(Raw {
                key,
                value: value.trim().to_string(),
                origin: format!("from environment variable `{var}`"),
                from_file: false,
            }));
        }
        let Some(ini) = self.ini.filter(|ini| ini.has_section(SECTION)) else {
            return Ok(None);
        };
        let keep: &dyn Fn(&str) -> bool = if key.starts_with("naming_convention.") {
            &is_naming_token
        } else {
            &|_| false
        };
        let value = ini.get_keeping(SECTION, key, self.defaults, keep)?;
        Ok(value.map(|value| Raw {
            key,
            value: value.trim().to_string(),
            origin: ini.origin(SECTION, key),
            from_file: true,
        }))
    }

    /// A name that reaches SQL ([`Raw::name`]), unset when empty.
    fn name(&self, key: &'static str) -> Result<Option<String>, ConfigError> {
        match self.text(key)? {
            Some(raw) if raw.value.is_empty() => Ok(None),
            Some(raw) => raw.name().map(Some),
            None => Ok(None),
        }
    }

    /// A string that is unset when empty.
    fn optional(&self, key: &'static str) -> Result<Option<String>, ConfigError> {
        Ok(self
            .text(key)?
            .map(|raw| raw.value)
            .filter(|v| !v.is_empty()))
    }

    fn boolean(&self, key: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.text(key)? {
            Some(raw) => parse_bool(&raw.value).ok_or_else(|| raw.invalid(values::BOOLEAN)),
            None => Ok(default),
        }
    }
}

/// SQLAlchemy naming-convention tokens, which stay as written in
/// `naming_convention.*` values whether spelled `%(table_name)s` or `%%(table_name)s`.
fn is_naming_token(name: &str) -> bool {
    static TOKEN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"^(table_name|referred_table_name|constraint_name|(referred_)?column_\d+(_?n)?_(name|label|key))$",
        )
        .ok()
    });
    TOKEN.as_ref().is_some_and(|re| re.is_match(name))
}

#[cfg(test)]
mod tests;
