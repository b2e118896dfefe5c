//! The library side of `mig snapshot` and `mig diff`: the catalog of a database (or a
//! snapshot file) in, a snapshot or the differences out. Never parses arguments, never
//! prints.

use std::path::Path;

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::{Config, ConfigError, LoadOptions};
use crate::diff::{diff as compare, DiffOptions, Differences};
use crate::roundtrip::{snapshot_url, RoundtripError};
use crate::url::DatabaseUrl;

use super::Error;

/// `mig snapshot`: the catalog of the configured database (`--url` or
/// `sqlalchemy.url`), without the version and history tables and `ignore`d objects.
pub async fn snapshot(config: &Config) -> Result<Snapshot, Error> {
    let url = config.database_url()?;
    let opts = SnapshotOptions::from_config(config).map_err(RoundtripError::from)?;
    Ok(snapshot_url(&url, &opts).await?)
}

/// `mig diff A B`: each side a snapshot JSON file or a database URL (anything with
/// `://`), URLs read with `config`'s exclusions. `extra` are objects only B has.
pub async fn diff(
    a: &str,
    b: &str,
    config: &Config,
    opts: &DiffOptions,
) -> Result<Differences, Error> {
    let before = side(a, config).await?;
    let after = side(b, config).await?;
    if before.dialect != after.dialect {
        return Err(Error::DialectMismatch {
            a: before.dialect.name(),
            b: after.dialect.name(),
        });
    }
    Ok(compare(&before, &after, opts))
}

async fn side(arg: &str, config: &Config) -> Result<Snapshot, Error> {
    if arg.contains("://") {
        let url = DatabaseUrl::parse(arg).map_err(|error| ConfigError::Url {
            origin: "given to `mig diff`".to_string(),
            error,
        })?;
        let opts = SnapshotOptions::from_config(config).map_err(RoundtripError::from)?;
        return Ok(snapshot_url(&url, &opts).await?);
    }
    let path = Path::new(arg);
    let unreadable = |message: String| Error::ReadSnapshot {
        path: path.to_path_buf(),
        message,
    };
    let json = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    Snapshot::from_json(&json).map_err(|e| unreadable(e.to_string()))
}

/// The project's configuration for `mig snapshot` and `mig diff`, or the defaults (with
/// `--url`) when no file was named and `./alembic.ini` does not exist: neither needs a
/// project.
pub fn config_or_defaults(opts: &LoadOptions) -> Result<Config, Error> {
    let loaded = crate::config::load(opts);
    let named = opts.config.is_some()
        || ["MIG_CONFIG", "ALEMBIC_CONFIG"]
            .iter()
            .any(|key| opts.env.contains_key(*key));
    match loaded {
        Ok(config) => Ok(config),
        Err(ConfigError::NotFound { .. }) if !named => {
            let config = Config::with_defaults(opts.cwd.join("alembic.ini"));
            Ok(match &opts.url {
                Some(url) => config.with_url(url.clone()),
                None => config,
            })
        }
        Err(err) => Err(err.into()),
    }
}
