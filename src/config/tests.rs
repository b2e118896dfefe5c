//! Loading the configuration: the ini Alembic generates, the demo's, the URL from the
//! environment or a flag, config-file resolution, `[alembic]` values and errors (the
//! `[mig]` keys: `tests/mig_keys.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use insta::assert_snapshot;
use tempfile::TempDir;

use super::*;

/// The demo project's ini (SPEC section 12), as `/work/main/alembic.ini` has it.
const DEMO_INI: &str = "\
[alembic]
script_location = %(here)s
version_locations = %(here)s/versions
path_separator = os
file_template = %%(rev)s_%%(slug)s
sqlalchemy.url = %(DATABASE_URL)s

[mig]
dialect = postgresql
version_table_schema = zero_admin
search_path = zero_admin, public
naming_convention.pk = pk_%%(table_name)s
naming_convention.fk = fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s
naming_convention.uq = uq_%(table_name)s__%(constraint_name)s
naming_convention.ix = ix_%%(table_name)s_%%(column_0_N_name)s
";

fn project(ini: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("alembic.ini"), ini).unwrap();
    dir
}

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn opts(dir: &Path) -> LoadOptions {
    LoadOptions::new(dir, BTreeMap::new())
}

fn load_ok(opts: &LoadOptions) -> Config {
    load(opts).unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(opts: &LoadOptions) -> String {
    match load(opts) {
        Ok(config) => panic!("loaded {config:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_ini_alembic_init_generates_loads_unchanged() {
    // tests/fixtures/alembic_init/alembic.ini is the file `alembic init alembic`
    // (Alembic 1.20.1) wrote. Alembic reads it as: script_location `<here>/alembic`, no
    // version_locations, file_template `%(rev)s_%(slug)s`, not recursive.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alembic_init");
    let config = load_ok(&opts(&dir));
    assert_eq!(config.path, dir.join("alembic.ini"));
    assert_eq!(config.here, dir);
    assert_eq!(config.section, "alembic");
    assert_eq!(config.script_location, dir.join("alembic"));
    assert_eq!(config.version_locations, vec![dir.join("alembic/versions")]);
    assert!(!config.recursive_version_locations);
    assert_eq!(
        config.revision_settings().unwrap(),
        RevisionSettings::default()
    );
    assert_eq!(config.exec, ExecSettings::default());
    assert_eq!(config.runbook_dir().unwrap(), dir.join("runbook"));
    assert_eq!(config.dialect, None);
    // `driver://user:pass@localhost/dbname` is Alembic's placeholder: an error only
    // when a command needs the database, and without the password.
    assert_snapshot!(config.database_url().unwrap_err(), @"invalid database URL in `sqlalchemy.url` of `alembic.ini` line 89: unsupported database `driver` in `driver://user:***@localhost/dbname`: mig supports `postgresql`, `postgres`, `sqlite`, `mysql` and `mariadb`");
    assert_snapshot!(config.dialect().unwrap_err(), @"cannot tell the SQL dialect: set `dialect` in the `[mig]` section of `alembic.ini` (or `MIG_DIALECT`), or give a database URL (invalid database URL in `sqlalchemy.url` of `alembic.ini` line 89: unsupported database `driver` in `driver://user:***@localhost/dbname`: mig supports `postgresql`, `postgres`, `sqlite`, `mysql` and `mariadb`)");
}

#[test]
fn the_demo_ini_works_without_database_url() {
    let dir = project(DEMO_INI);
    let config = load_ok(&opts(dir.path()));
    assert_eq!(config.script_location, dir.path());
    assert_eq!(config.version_locations, vec![dir.path().join("versions")]);
    assert_eq!(config.dialect().unwrap(), Dialect::Postgresql);
    assert_eq!(
        config.exec.version_table.schema.as_deref(),
        Some("zero_admin")
    );
    assert_eq!(config.exec.version_table.table, "alembic_version");
    assert_eq!(
        config.exec.search_path,
        crate::dialect::SearchPath::parse("zero_admin, public").ok()
    );
    assert_eq!(
        config.naming().unwrap(),
        NamingConvention {
            pk: Some("pk_%(table_name)s".into()),
            fk: Some("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s".into()),
            uq: Some("uq_%(table_name)s__%(constraint_name)s".into()),
            ix: Some("ix_%(table_name)s_%(column_0_N_name)s".into()),
            ck: None,
        }
    );
    assert_snapshot!(config.database_url().unwrap_err(), @"`alembic.ini`: `sqlalchemy.url` in section `[alembic]` refers to `%(DATABASE_URL)s`, but `database_url` is not an option in `[alembic]` or `[DEFAULT]` and no environment variable `DATABASE_URL` is set; set it in the environment or define `database_url` in the file");
}

#[test]
fn the_database_url_comes_from_the_environment_lazily() {
    let dir = project(DEMO_INI);
    let mut options = opts(dir.path());
    options.env = env(&[(
        "DATABASE_URL",
        "postgresql://app:p%40ss@db:6543/postgres?sslmode=require",
    )]);
    let config = load_ok(&options);
    let url = config.database_url().unwrap();
    assert_eq!(url.password().map(crate::url::Secret::expose), Some("p@ss"));
    assert_eq!(
        url.normalized(),
        "postgresql://app:***@db:6543/postgres?sslmode=require"
    );
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("p%40ss") && !debug.contains("p@ss"),
        "{debug}"
    );
}

#[test]
fn the_url_flag_wins_and_gives_the_dialect() {
    let dir =
        project("[alembic]\nscript_location = .\nsqlalchemy.url = postgresql://u:filepw@h/db\n");
    let mut options = opts(dir.path());
    options.url = Some("sqlite:///app.db".into());
    let config = load_ok(&options);
    assert_eq!(config.dialect, Some(Dialect::Sqlite));
    assert_eq!(config.database_url().unwrap().database(), Some("app.db"));
    options.url = None;
    let from_file = load_ok(&options);
    assert_eq!(from_file.dialect, Some(Dialect::Postgresql));
    assert!(!format!("{from_file:?}").contains("filepw"));
    options.url = Some("'mysql://u:flagpw@h/db'".into());
    let quoted = load_ok(&options);
    assert!(!format!("{quoted:?}").contains("flagpw"));
    assert_snapshot!(quoted.database_url().unwrap_err(), @"invalid database URL from `--url`: the database URL `'mysql://u:***@h/db'` is wrapped in quotes; remove them (quotes in a `.env` file or an environment variable are kept literally)");
}

#[test]
fn missing_url() {
    let dir = project("[alembic]\nscript_location = .\nsqlalchemy.url =\n");
    let config = load_ok(&opts(dir.path()));
    assert_snapshot!(config.database_url().unwrap_err(), @"no database URL: set `sqlalchemy.url` in the `[alembic]` section of `alembic.ini` or pass `--url`");
    assert_eq!(config.dialect, None);
}

#[test]
fn config_file_resolution_order() {
    let dir = TempDir::new().unwrap();
    for name in ["alembic.ini", "mig.ini", "alembic-env.ini", "flag.ini"] {
        let ini = format!("[alembic]\nscript_location = %(here)s/{name}.d\n");
        std::fs::write(dir.path().join(name), ini).unwrap();
    }
    let located = |options: &LoadOptions| {
        let config = load_ok(options);
        config
            .script_location
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut options = opts(dir.path());
    assert_eq!(located(&options), "alembic.ini.d");
    options.env = env(&[("ALEMBIC_CONFIG", "alembic-env.ini"), ("MIG_CONFIG", "")]);
    assert_eq!(located(&options), "alembic-env.ini.d");
    options.env = env(&[("ALEMBIC_CONFIG", "pyproject.toml")]);
    assert_eq!(located(&options), "alembic.ini.d");
    options.env = env(&[
        ("ALEMBIC_CONFIG", "alembic-env.ini"),
        ("MIG_CONFIG", "mig.ini"),
    ]);
    assert_eq!(located(&options), "mig.ini.d");
    options.config = Some(dir.path().join("flag.ini"));
    assert_eq!(located(&options), "flag.ini.d");
}

#[test]
fn missing_file_or_section() {
    // Alembic's text (reference section 4). Alembic 1.20 itself reports a missing file
    // as "No 'script_location' key found in configuration."; mig keeps the clearer one.
    let dir = TempDir::new().unwrap();
    let mut options = opts(dir.path());
    assert_snapshot!(load_err(&options), @"No config file 'alembic.ini' found, or file has no '[alembic]' section");
    options.config = Some(PathBuf::from("conf/other.ini"));
    assert_snapshot!(load_err(&options), @"No config file 'conf/other.ini' found, or file has no '[alembic]' section");
    std::fs::write(
        dir.path().join("alembic.ini"),
        "[alembic]\nscript_location = .\n",
    )
    .unwrap();
    options.config = None;
    options.section = Some("prod".into());
    assert_snapshot!(load_err(&options), @"No config file 'alembic.ini' found, or file has no '[prod]' section");
    std::fs::write(
        dir.path().join("alembic.ini"),
        "[prod]\nscript_location = .\n",
    )
    .unwrap();
    assert_eq!(load_ok(&options).section, "prod");
    std::fs::create_dir(dir.path().join("dir.ini")).unwrap();
    options.config = Some(PathBuf::from("dir.ini"));
    assert!(load_err(&options).starts_with("cannot read `dir.ini`: "));
}

#[test]
fn main_section_errors() {
    let no_location = project("[alembic]\nsqlalchemy.url = sqlite://\n");
    assert_snapshot!(load_err(&opts(no_location.path())), @"No 'script_location' key found in configuration. (in `[alembic]` of `alembic.ini`)");
    let resource = project("[alembic]\nscript_location = myapp:migrations\n");
    assert_snapshot!(load_err(&opts(resource.path())), @"`script_location = myapp:migrations` in `alembic.ini` names a Python package resource; mig needs a directory path (such as `%(here)s/migrations`)");
    let separator = project(
        "[alembic]\nscript_location = .\nversion_locations = a,b\npath_separator = comma\n",
    );
    assert_snapshot!(load_err(&opts(separator.path())), @"invalid value `comma` for `path_separator` in `[alembic]` of `alembic.ini` line 4: expected one of `os`, `:`, `;`, `space`, `newline`");
    let slug = project("[alembic]\nscript_location = .\ntruncate_slug_length = forty\n");
    // Only `revision` and `merge` read it: the project loads, the settings fail.
    let loaded = load_ok(&opts(slug.path()));
    assert_snapshot!(loaded.revision_settings().unwrap_err(), @"invalid value `forty` for `truncate_slug_length` in `[alembic]` of `alembic.ini` line 3: expected a whole number");
    let syntax = project("[alembic]\nscript_location = .\noops\n");
    assert_snapshot!(load_err(&opts(syntax.path())), @"`alembic.ini`: cannot parse line 3 `oops`; expected `key = value`, `key: value`, a `[section]` header or a `#`/`;` comment");
    let interpolation = project("[alembic]\nscript_location = %(root)s/migrations\n");
    assert!(load_err(&opts(interpolation.path())).contains("refers to `%(root)s`"));
}

#[test]
fn version_locations_are_split_like_alembic() {
    let cases = [
        (
            "path_separator = os\nversion_locations = a:%(here)s/b",
            vec!["a", "b"],
        ),
        (
            "path_separator = ;\nversion_locations = a; b",
            vec!["a", "b"],
        ),
        (
            "path_separator = space\nversion_locations = a  b",
            vec!["a", "b"],
        ),
        (
            "path_separator = newline\nversion_locations =\n  a dir\n  b",
            vec!["a dir", "b"],
        ),
        (
            "version_path_separator = :\nversion_locations = a:b",
            vec!["a", "b"],
        ),
        // No separator: Alembic's legacy split on commas and spaces.
        ("version_locations = a, b c", vec!["a", "b", "c"]),
    ];
    for (keys, expected) in cases {
        let dir = project(&format!("[alembic]\nscript_location = scripts\n{keys}\n"));
        let config = load_ok(&opts(dir.path()));
        let expected: Vec<PathBuf> = expected.iter().map(|p| dir.path().join(p)).collect();
        assert_eq!(config.version_locations, expected, "{keys}");
        assert_eq!(config.script_location, dir.path().join("scripts"));
    }
}

#[test]
fn main_section_values() {
    let dir = project(
        "[alembic]\nscript_location = /abs/migrations\nfile_template = %%(year)d_%%(rev)s\n\
         truncate_slug_length = 0\ntimezone = UTC\nrecursive_version_locations = true\n\
         output_encoding = latin-1\nprepend_sys_path = .\nsourceless = false\n",
    );
    let config = load_ok(&opts(dir.path()));
    assert_eq!(config.script_location, PathBuf::from("/abs/migrations"));
    assert_eq!(
        config.version_locations,
        vec![PathBuf::from("/abs/migrations/versions")]
    );
    let settings = config.revision_settings().unwrap();
    assert_eq!(settings.file_template, "%(year)d_%(rev)s");
    assert_eq!(settings.truncate_slug_length, 40);
    assert_eq!(settings.timezone.as_deref(), Some("UTC"));
    assert!(config.recursive_version_locations);
    assert_eq!(settings.output_encoding, "latin-1");
    // Alembic reads only the exact string `true` as true.
    let dir = project("[alembic]\nscript_location = .\nrecursive_version_locations = True\ntruncate_slug_length = 12\n");
    let config = load_ok(&opts(dir.path()));
    assert!(!config.recursive_version_locations);
    assert_eq!(config.revision_settings().unwrap().truncate_slug_length, 12);
}

#[test]
fn with_defaults_and_with_url() {
    let config = Config::with_defaults("/proj/alembic.ini");
    assert_eq!(config.here, PathBuf::from("/proj"));
    assert_eq!(
        config.version_locations,
        vec![PathBuf::from("/proj/versions")]
    );
    assert_eq!(
        config.runbook_dir().unwrap(),
        PathBuf::from("/proj/runbook")
    );
    assert!(matches!(
        config.database_url(),
        Err(ConfigError::NoUrl { .. })
    ));
    assert_snapshot!(config.dialect().unwrap_err(), @"cannot tell the SQL dialect: set `dialect` in the `[mig]` section of `/proj/alembic.ini` (or `MIG_DIALECT`), or give a database URL (no database URL: set `sqlalchemy.url` in the `[alembic]` section of `/proj/alembic.ini` or pass `--url`)");
    let config = config.with_url("postgresql+psycopg://u:pw@h/db");
    assert_eq!(config.dialect, Some(Dialect::Postgresql));
    assert!(!format!("{config:?}").contains("pw@"));
}

#[test]
fn load_options_debug_hides_environment_values() {
    let mut options = LoadOptions::new("/proj", env(&[("PGPASSWORD", "hunter2")]));
    options.url = Some("postgresql://u:hunter2@h/db".into());
    let debug = format!("{options:?}");
    assert!(
        debug.contains("PGPASSWORD") && !debug.contains("hunter2"),
        "{debug}"
    );
}

mod mig_keys;
