//! The `[mig]` keys: from the file, the environment and flags, their defaults, and
//! invalid values and names that would reach SQL, refused at load naming their source.

use super::*;

#[test]
fn mig_keys_from_file_environment_and_flags() {
    let dir = project(
        "[alembic]\nscript_location = .\n[mig]\nversion_table = my_ver\nversion_table_pk = no\n\
         transaction_per_migration = on\nlock = 0\nlock_timeout = 500ms\nhistory_table =\n\
         revision_id = hex\npooler = Transaction\nrunbook_dir = %(here)s/docs/runbooks\nignore =\n  table public.spatial_ref_sys\n  extension postgis\n\
         future_key = accepted\n",
    );
    let mut options = opts(dir.path());
    let config = load_ok(&options);
    assert_eq!(
        config.exec,
        ExecSettings {
            version_table: VersionTable {
                table: "my_ver".into(),
                schema: None,
                pk: false,
            },
            search_path: None,
            transaction_per_migration: true,
            lock: false,
            lock_timeout: Duration::from_millis(500),
            history_table: None,
            pooler: PoolerSetting::Transaction,
        }
    );
    assert_eq!(config.revision_id().unwrap(), RevisionIdStyle::Hex);
    assert_eq!(
        config.runbook_dir().unwrap(),
        dir.path().join("docs/runbooks")
    );
    assert_eq!(
        config.ignore().unwrap(),
        vec!["table public.spatial_ref_sys", "extension postgis"]
    );

    options.env = env(&[
        ("MIG_VERSION_TABLE", "env_ver"),
        ("MIG_VERSION_TABLE_SCHEMA", "ops"),
        ("MIG_LOCK_TIMEOUT", "2m"),
        ("MIG_NAMING_CONVENTION_PK", "pk_%(table_name)s"),
        ("MIG_RUNBOOK_DIR", "out"),
        ("MIG_HISTORY_TABLE", "audit"),
        ("MIG_DIALECT", "mariadb"),
    ]);
    options.overrides = vec![
        ("version_table".into(), "first".into()),
        ("version_table".into(), "flag_ver".into()),
        ("lock".into(), "yes".into()),
    ];
    let config = load_ok(&options);
    assert_eq!(config.exec.version_table.table, "flag_ver");
    assert_eq!(config.exec.version_table.schema.as_deref(), Some("ops"));
    assert!(config.exec.lock);
    assert_eq!(config.exec.lock_timeout, Duration::from_secs(120));
    assert_eq!(config.exec.history_table.as_deref(), Some("audit"));
    assert_eq!(
        config.naming().unwrap().pk.as_deref(),
        Some("pk_%(table_name)s")
    );
    // Relative paths from the environment or flags are relative to the working directory.
    assert_eq!(config.runbook_dir().unwrap(), dir.path().join("out"));
    assert_eq!(config.dialect, Some(Dialect::Mysql));
}

#[test]
fn mig_defaults_without_a_mig_section() {
    let dir = project("[alembic]\nscript_location = .\n");
    let config = load_ok(&opts(dir.path()));
    assert_eq!(config.exec, ExecSettings::default());
    assert_eq!(config.naming().unwrap(), NamingConvention::default());
    assert_eq!(config.revision_id().unwrap(), RevisionIdStyle::Timestamp);
    assert!(config.ignore().unwrap().is_empty());
    assert_eq!(config.exec.lock_timeout, Duration::from_secs(60));
    assert_eq!(config.exec.history_table.as_deref(), Some("mig_history"));
}

#[test]
fn invalid_mig_values_name_their_source() {
    let dir = project("[alembic]\nscript_location = .\n[mig]\nlock = maybe\n");
    let mut options = opts(dir.path());
    assert_snapshot!(load_err(&options), @"invalid value `maybe` for `lock` in `[mig]` of `alembic.ini` line 4: expected a boolean (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`)");
    options.env = env(&[("MIG_LOCK", "true"), ("MIG_LOCK_TIMEOUT", "soon")]);
    assert_snapshot!(load_err(&options), @"invalid value `soon` for `lock_timeout` from environment variable `MIG_LOCK_TIMEOUT`: expected a duration such as `60s`, `500ms`, `2m` or `60` (seconds)");
    options.env = env(&[("MIG_LOCK", "true")]);
    options.overrides = vec![("dialect".into(), "oracle".into())];
    assert_snapshot!(load_err(&options), @"invalid value `oracle` for `dialect` from the command line: expected `postgresql`, `sqlite` or `mysql`");
    options.overrides = vec![("revision_id".into(), "uuid".into())];
    // Only `revision` reads `revision_id`: the file loads, asking for it fails.
    let lazy = load_ok(&options).revision_id().unwrap_err().to_string();
    assert_snapshot!(lazy, @"invalid value `uuid` for `revision_id` from the command line: expected `timestamp` or `hex`");
    options.overrides = vec![("version_table".into(), " ".into())];
    assert_snapshot!(load_err(&options), @"invalid value `` for `version_table` from the command line: expected a table name");
    options.overrides = vec![("version_tabel".into(), "x".into())];
    assert_snapshot!(load_err(&options), @"unknown `[mig]` key `version_tabel` given as an override");
    options.overrides = vec![("pooler".into(), "session".into())];
    assert_snapshot!(load_err(&options), @"invalid value `session` for `pooler` from the command line: expected `auto`, `none` or `transaction`");
}

#[test]
fn names_that_reach_sql_are_checked_at_load() {
    let dir = project("[alembic]\nscript_location = .\n[mig]\nsearch_path = app,,public\n");
    let mut options = opts(dir.path());
    assert_snapshot!(load_err(&options), @"invalid value `app,,public` for `search_path` in `[mig]` of `alembic.ini` line 4: element 2 is empty (two commas in a row, or a comma at an end)");
    options.env = env(&[
        ("MIG_SEARCH_PATH", "\"My \"\"App\"\"\", $user"),
        ("MIG_VERSION_TABLE_SCHEMA", "a\0b"),
    ]);
    assert_snapshot!(load_err(&options), @"invalid value `a\\u{0}b` for `version_table_schema` from environment variable `MIG_VERSION_TABLE_SCHEMA`: a name cannot contain a NUL character");
    options.env = env(&[
        ("MIG_SEARCH_PATH", "\"My \"\"App\"\"\", $user"),
        ("MIG_POOLER", "TRANSACTION"),
    ]);
    let config = load_ok(&options);
    assert_eq!(
        config.exec.search_path,
        crate::dialect::SearchPath::parse("\"My \"\"App\"\"\", $user").ok()
    );
    assert_eq!(config.exec.pooler, PoolerSetting::Transaction);
    options.overrides = vec![("history_table".into(), "\0".into())];
    assert_snapshot!(load_err(&options), @"invalid value `\\u{0}` for `history_table` from the command line: a name cannot contain a NUL character");
}
