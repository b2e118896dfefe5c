//! Loading: find the ini file (`-c`, `MIG_CONFIG`, `ALEMBIC_CONFIG`, `./alembic.ini`),
//! parse it, read the main (`[alembic]`) section the way Alembic does, and merge in the
//! `[mig]` section. The database URL is left unresolved.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::interpolate::Defaults;
use super::mig_section;
use super::values::{self, absolute, parse_bool, PathSeparator};
use super::{
    Config, ConfigError, Ini, RevisionSettings, Sources, DEFAULT_FILE_TEMPLATE,
    DEFAULT_TRUNCATE_SLUG_LENGTH,
};

/// The main section's default name (`-n/--name`).
pub const DEFAULT_SECTION_NAME: &str = "alembic";

/// The ini file used when neither `-c` nor an environment variable names one.
const DEFAULT_CONFIG_FILE: &str = "alembic.ini";

/// Main-section keys mig reads; the others (`prepend_sys_path`, `sourceless`, ...) are
/// Alembic's Python-side settings and are ignored.
const MAIN_KEYS: &[&str] = &[
    "script_location",
    "version_locations",
    "path_separator",
    "version_path_separator",
    "file_template",
    "truncate_slug_length",
    "timezone",
    "recursive_version_locations",
    "output_encoding",
    "sqlalchemy.url",
];

/// What [`load`] needs from the outside world. `Debug` lists environment names only.
#[derive(Clone)]
pub struct LoadOptions {
    /// `-c/--config`.
    pub config: Option<PathBuf>,
    /// `-n/--name`; `None` means `alembic`.
    pub section: Option<String>,
    /// The process environment: `MIG_CONFIG`, `ALEMBIC_CONFIG`, `MIG_*` overrides and
    /// `%(NAME)s` interpolation.
    pub env: BTreeMap<String, String>,
    /// The directory relative paths (`-c`, `./alembic.ini`, overrides) are resolved in.
    pub cwd: PathBuf,
    /// `--url`, taken literally; wins over `sqlalchemy.url`.
    pub url: Option<String>,
    /// `[mig]` keys set by flags, as `(key, value)` (`("version_table_schema", "x")`);
    /// they win over `MIG_*` variables and the file. The last one for a key wins.
    pub overrides: Vec<(String, String)>,
}

impl LoadOptions {
    /// Options with no flags.
    pub fn new(cwd: impl Into<PathBuf>, env: BTreeMap<String, String>) -> LoadOptions {
        LoadOptions {
            config: None,
            section: None,
            env,
            cwd: cwd.into(),
            url: None,
            overrides: Vec::new(),
        }
    }

    /// Options with no flags, from this process's working directory and environment
    /// (variables that are not UTF-8 are skipped).
    pub fn from_process() -> Result<LoadOptions, ConfigError> {
        let cwd = std::env::current_dir().map_err(|e| ConfigError::WorkingDirectory {
            message: e.to_string(),
        })?;
        Ok(LoadOptions::new(cwd, process_env()))
    }
}

impl fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadOptions")
            .field("config", &self.config)
            .field("section", &self.section)
            .field("env", &self.env.keys().collect::<Vec<_>>())
            .field("cwd", &self.cwd)
            .field("url", &self.url.as_deref().map(crate::url::redact_url))
            .field("overrides", &self.overrides)
            .finish()
    }
}

/// This process's environment variables (those that are not UTF-8 are skipped).
pub fn process_env() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// Reads and resolves the configuration.
pub fn load(opts: &LoadOptions) -> Result<Config, ConfigError> {
    let given = config_path(opts);
    let shown = given.display().to_string();
    let section = opts
        .section
        .clone()
        .unwrap_or_else(|| DEFAULT_SECTION_NAME.to_string());
    let not_found = || ConfigError::NotFound {
        path: shown.clone(),
        section: section.clone(),
    };
    let path = absolute(&opts.cwd, &given);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
        Err(e) => {
            return Err(ConfigError::Read {
                path: shown,
                message: e.to_string(),
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 {
        path: shown.clone(),
    })?;
    let ini = Ini::parse(&text, &given)?;
    if !ini.has_section(&section) {
        return Err(not_found());
    }
    let here = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let defaults = Defaults::new()
        .with("here", here.to_string_lossy())
        .with_env(&opts.env);
    log_ignored(&ini, &section);

    let main = MainSection::read(&ini, &section, &defaults, &here)?;
    let mig = mig_section::read(&ini, &defaults, &mig_section::Lazy::from_options(opts))?;
    let mut config = Config {
        path,
        here,
        section,
        script_location: main.script_location,
        version_locations: main.version_locations,
        recursive_version_locations: main.recursive_version_locations,
        dialect: mig.dialect,
        exec: mig.exec,
        sources: Sources {
            ini: Some(Arc::new(ini)),
            defaults: Arc::new(defaults),
            url: opts.url.clone(),
            mig: mig_section::Lazy::from_options(opts),
        },
    };
    if config.dialect.is_none() {
        config.dialect = config.database_url().ok().map(|url| url.dialect());
    }
    Ok(config)
}

/// `-c`, else `MIG_CONFIG`, else `ALEMBIC_CONFIG` (unless it names a `pyproject.toml`,
/// which mig does not read), else `alembic.ini`. Empty variables count as unset.
fn config_path(opts: &LoadOptions) -> PathBuf {
    if let Some(path) = &opts.config {
        return path.clone();
    }
    let var = |name: &str| opts.env.get(name).filter(|v| !v.is_empty());
    if let Some(path) = var("MIG_CONFIG") {
        return PathBuf::from(path);
    }
    let alembic = var("ALEMBIC_CONFIG")
        .filter(|p| Path::new(p).file_name() != Some("pyproject.toml".as_ref()));
    PathBuf::from(alembic.map_or(DEFAULT_CONFIG_FILE, String::as_str))
}

fn log_ignored(ini: &Ini, section: &str) {
    let file = ini.source().display().to_string();
    for name in ini.section_names() {
        if name == section {
            for key in ini.own_keys(name) {
                if !MAIN_KEYS.contains(&key) {
                    tracing::debug!(%file, section = name, key, "ignoring a key mig does not use");
                }
            }
        } else if name != mig_section::SECTION {
            tracing::debug!(%file, section = name, "ignoring a section mig does not use");
        }
    }
}

/// The main section's keys every command needs, read as Alembic reads them.
struct MainSection {
    script_location: PathBuf,
    version_locations: Vec<PathBuf>,
    recursive_version_locations: bool,
}

/// A main-section value, interpolated, unset when blank.
fn non_blank(
    ini: &Ini,
    section: &str,
    key: &str,
    defaults: &Defaults,
) -> Result<Option<String>, ConfigError> {
    Ok(ini
        .get(section, key, defaults)?
        .filter(|v| !v.trim().is_empty()))
}

/// The keys only `revision` and `merge` read (see [`Config::revision_settings`]).
pub(super) fn revision_settings(
    ini: &Ini,
    section: &str,
    defaults: &Defaults,
) -> Result<RevisionSettings, ConfigError> {
    let get = |key: &str| non_blank(ini, section, key, defaults);
    let truncate_slug_length = match get("truncate_slug_length")? {
        Some(value) => match value.trim().parse::<usize>() {
            // Alembic treats 0 as "unset".
            Ok(0) => DEFAULT_TRUNCATE_SLUG_LENGTH,
            Ok(n) => n,
            Err(_) => {
                return Err(ConfigError::InvalidValue {
                    origin: ini.origin(section, "truncate_slug_length"),
                    key: "truncate_slug_length".to_string(),
                    value,
                    expected: "a whole number",
                })
            }
        },
        None => DEFAULT_TRUNCATE_SLUG_LENGTH,
    };
    Ok(RevisionSettings {
        file_template: get("file_template")?.unwrap_or_else(|| DEFAULT_FILE_TEMPLATE.to_string()),
        truncate_slug_length,
        timezone: get("timezone")?,
        output_encoding: get("output_encoding")?.unwrap_or_else(|| "utf-8".to_string()),
    })
}

impl MainSection {
    fn read(
        ini: &Ini,
        section: &str,
        defaults: &Defaults,
        here: &Path,
    ) -> Result<MainSection, ConfigError> {
        let get = |key: &str| non_blank(ini, section, key, defaults);
        let invalid =
            |key: &str, value: String, expected: &'static str| ConfigError::InvalidValue {
                origin: ini.origin(section, key),
                key: key.to_string(),
                value,
                expected,
            };

        let location = get("script_location")?.ok_or_else(|| ConfigError::NoScriptLocation {
            path: ini.source().display().to_string(),
            section: section.to_string(),
        })?;
        if !Path::new(&location).is_absolute() && location.contains(':') {
            return Err(ConfigError::PackageResource {
                path: ini.source().display().to_string(),
                value: location,
            });
        }
        let script_location = absolute(here, Path::new(&location));

        let mut separator = PathSeparator::Legacy;
        for key in ["path_separator", "version_path_separator"] {
            if let Some(value) = ini.get(section, key, defaults)? {
                separator = PathSeparator::parse(&value)
                    .ok_or_else(|| invalid(key, value, values::PATH_SEPARATOR))?;
                break;
            }
        }
        let mut version_locations: Vec<PathBuf> = get("version_locations")?
            .map(|v| separator.split(&v))
            .unwrap_or_default()
            .iter()
            .map(|p| absolute(here, Path::new(p)))
            .collect();
        if version_locations.is_empty() {
            version_locations.push(script_location.join("versions"));
        }

        let recursive_version_locations = match get("recursive_version_locations")? {
            // Alembic compares with the exact string `true`.
            Some(value) if value == "true" => true,
            Some(value) => {
                if parse_bool(&value) == Some(true) {
                    tracing::warn!(
                        file = %ini.source().display(),
                        value,
                        "`recursive_version_locations` is only on when it is exactly `true` \
                         (as in Alembic); treating it as off"
                    );
                }
                false
            }
            None => false,
        };

        Ok(MainSection {
            script_location,
            version_locations,
            recursive_version_locations,
        })
    }
}

impl mig_section::Lazy {
    /// The flags, `MIG_*` variables and working directory of `opts`.
    pub(super) fn from_options(opts: &LoadOptions) -> mig_section::Lazy {
        mig_section::Lazy {
            overrides: opts.overrides.clone(),
            env: opts
                .env
                .iter()
                .filter(|(name, _)| name.starts_with("MIG_"))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            cwd: opts.cwd.clone(),
        }
    }
}
