//! The library side of `mig roundtrip`, `mig snapshot` and `mig diff`: resolved inputs
//! in, rendered text and an exit code out. Never parses arguments, never prints, never
//! installs signal handlers (the interrupt arrives as a future).

use std::future::Future;
use std::path::Path;

use crate::catalog::{Snapshot, SnapshotOptions};
use crate::config::{Config, ConfigError, LoadOptions};
use crate::diff::{diff as compare, DiffOptions, Findings};
use crate::findings::{github, sarif, Sources};
use crate::roundtrip::{self, junit, snapshot_url, text, Options, Place, Report, RoundtripError};
use crate::url::DatabaseUrl;

use super::{Error, Project};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
    Junit,
    /// SARIF 2.1.0 ([`crate::findings::sarif`]).
    Sarif,
    /// GitHub workflow annotations ([`crate::findings::github`]).
    Github,
}

/// `mig roundtrip`, resolved.
#[derive(Debug, Clone, Default)]
pub struct RoundtripRequest {
    pub options: Options,
    /// Where it runs ([`Place::from_flags`] holds the `--in-place` needs `--yes` rule).
    pub place: Place,
    pub format: ReportFormat,
}

/// A finished roundtrip: the report, rendered, and its exit code.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub report: Report,
    /// In the requested format.
    pub output: String,
    /// The text summary (what stdout shows when the report goes to a file).
    pub summary: String,
    pub exit_code: i32,
}

impl Rendered {
    /// The exit code, or the first failed check as the error (the report itself is
    /// already printed).
    pub fn finish(&self) -> Result<i32, Error> {
        match self.report.failure() {
            Some(message) => Err(Error::Failed {
                message,
                code: self.exit_code,
            }),
            None => Ok(self.exit_code),
        }
    }
}

/// `mig roundtrip`: verifies the project on the database `request.place` names, stopping
/// (and cleaning up) when `interrupt` resolves to an exit code first.
pub async fn roundtrip<I>(
    project: &Project,
    request: &RoundtripRequest,
    interrupt: I,
) -> Result<Rendered, Error>
where
    I: Future<Output = i32>,
{
    let report = roundtrip::run(
        &project.config,
        &project.map,
        request.place,
        &request.options,
        interrupt,
    )
    .await?;
    let sources = Sources::new(&project.config.here, &project.map);
    Ok(render(report, request.format, &sources))
}

/// Renders a report in `format` (text with timings); `sources` locate the findings of
/// the CI formats in the revision files.
pub fn render(report: Report, format: ReportFormat, sources: &Sources) -> Rendered {
    let summary = text::render(&report, true);
    let output = match format {
        ReportFormat::Text => summary.clone(),
        ReportFormat::Json => report.to_json(),
        ReportFormat::Junit => junit::render(&report),
        ReportFormat::Sarif => sarif::render(&report.findings(sources)),
        ReportFormat::Github => github::render(&report.findings(sources)),
    };
    let exit_code = report.exit_code();
    Rendered {
        report,
        output,
        summary,
        exit_code,
    }
}

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
) -> Result<Findings, Error> {
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
