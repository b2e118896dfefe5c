//! `mig runbook`: provisions the target (a private PostgreSQL server or SQLite file by
//! default, a scratch database, or the configured database with `--in-place --yes`),
//! collects the evidence of SPEC section 9 - preflight, connection and privileges, the
//! stages with their steps and states, the roundtrip findings, constraint evidence, the
//! user's DoD checks - and writes it as Markdown (through the template) and JSON. A
//! failure anywhere still produces a runbook that says what failed; what was not reached
//! is marked as not run. Nothing here prints: the CLI reports the written files.

mod assemble;
mod collect;
mod provision;
mod stages;

use std::path::{Path, PathBuf};

use super::Error;
use crate::config::Config;
use crate::dialect::Dialect;
use crate::revision::directory::load_revisions;
use crate::revision::graph::RevisionMap;
use crate::runbook::{
    self, preflight, Check, Constraints, DodFile, Fatal, Runbook, Scrubber, Stage, TargetMode,
    Template, UrlFacts,
};
use crate::url::DatabaseUrl;

use provision::Provisioned;

/// What `mig runbook` was asked to do.
#[derive(Debug, Clone)]
pub struct RunbookRequest {
    /// Output directory (default `[mig] runbook_dir`).
    pub out: Option<PathBuf>,
    /// DoD file (default `dod.toml` beside the ini file, when it exists).
    pub dod: Option<PathBuf>,
    /// Leave out what varies between runs.
    pub stable: bool,
    pub target: TargetMode,
}

/// The files written and the runbook they hold.
#[derive(Debug)]
pub struct Written {
    pub markdown: PathBuf,
    pub json: PathBuf,
    pub runbook: Runbook,
}

impl Written {
    /// The exit code of SPEC section 5 for what the runbook found.
    pub fn exit_code(&self) -> i32 {
        self.runbook.summary.exit_code
    }

    /// What went wrong, for `FAILED: ...` (`None` when everything passed).
    pub fn failure(&self) -> Option<String> {
        if let Some(fatal) = &self.runbook.fatal {
            return Some(format!("{} failed: {}", fatal.at, fatal.message));
        }
        let failures = &self.runbook.summary.failures;
        (!failures.is_empty()).then(|| failures.join("\n"))
    }
}

/// What the stages and checks run against.
pub(crate) struct Target<'a> {
    pub config: &'a Config,
    pub map: &'a RevisionMap,
    pub url: &'a DatabaseUrl,
}

/// `mig runbook`: collects the evidence and writes `<out>/<date>_<project>.md` and `.json`
/// (`<project>.md` with `--stable`). Usage errors (template, DoD file, unknown dialect)
/// come back as `Err` before anything runs; everything later is in the runbook.
pub async fn runbook(config: &Config, request: &RunbookRequest) -> Result<Written, Error> {
    let template = Template::for_project(&config.here).map_err(|e| Error::Usage(e.to_string()))?;
    let dod = match dod_path(config, request) {
        Some(path) => Some(DodFile::read(&path).map_err(|e| Error::Usage(e.to_string()))?),
        None => None,
    };
    let dialect = config.dialect()?;
    if dialect == Dialect::Mysql {
        return Err(Error::Usage(
            "`mig runbook` does not support MySQL yet (no catalog snapshots)".into(),
        ));
    }
    if let Some(dod) = &dod {
        dod.validate_for(dialect)
            .map_err(|e| Error::Usage(e.to_string()))?;
    }
    let url = config.database_url();
    let loaded = load_revisions(
        &config.version_locations,
        config.recursive_version_locations,
    )
    .map_err(Error::from)
    .and_then(|revisions| RevisionMap::new(revisions).map_err(Error::from));
    let load_error = loaded.as_ref().err().map(|e| e.to_string());
    let facts = UrlFacts {
        url: &url,
        needed: request.target != TargetMode::Ephemeral,
    };
    let mut preflight = preflight(
        config,
        loaded
            .as_ref()
            .map_err(|_| load_error.as_deref().unwrap_or_default()),
        &facts,
    );

    let mut collected = Collected::default();
    let dod_view = dod.as_ref();
    match (&loaded, &url) {
        (Err(err), _) => collected.fatal(Fatal {
            at: "loading the revision files".into(),
            message: err.to_string(),
            exit_code: err.exit_code(),
        }),
        (Ok(_), Err(err)) if facts.needed => collected.fatal(Fatal {
            at: "resolving the database URL".into(),
            message: err.to_string(),
            exit_code: 2,
        }),
        (Ok(map), url) => {
            let configured = url.as_ref().ok();
            match Provisioned::new(request.target, dialect, configured).await {
                Ok(target) => {
                    collected.target_url = Some(target.url().redacted());
                    collected.sqlite_file = target.sqlite_file();
                    let facts = Target {
                        config,
                        map,
                        url: target.url(),
                    };
                    collect(&facts, dod_view, &mut collected).await;
                    if let Err(err) = target.remove().await {
                        tracing::warn!("removing the runbook's target: {err}");
                    }
                }
                Err(fatal) => {
                    collected.connection = Some(vec![Check::failed(
                        "provision the target",
                        fatal.message.clone(),
                    )]);
                    collected.fatal(fatal);
                }
            }
        }
    }
    preflight
        .checks
        .push(collected.checksum.take().unwrap_or_else(|| {
            let why = collected
                .fatal
                .as_ref()
                .map(|f| format!("not run: {} failed", f.at))
                .unwrap_or_else(|| "not run".into());
            Check::not_run(collect::CHECKSUM_TITLE, why)
        }));
    let mut book = assemble::assemble(config, request, dialect, preflight, dod_view, collected);
    book.summarize();
    if request.stable {
        runbook::stabilize(&mut book);
    }
    write(config, request, &template, book)
}

fn dod_path(config: &Config, request: &RunbookRequest) -> Option<PathBuf> {
    match &request.dod {
        Some(path) => Some(path.clone()),
        None => {
            let beside = config.here.join("dod.toml");
            beside.is_file().then_some(beside)
        }
    }
}

/// What the live part found; `None` sections were not reached.
#[derive(Default)]
struct Collected {
    target_url: Option<String>,
    sqlite_file: Option<PathBuf>,
    server_version: Option<String>,
    connection: Option<Vec<Check>>,
    checksum: Option<Check>,
    stages: Vec<Stage>,
    roundtrip: Option<Vec<Check>>,
    constraints: Option<Constraints>,
    dod: Option<Vec<runbook::Check>>,
    fatal: Option<Fatal>,
}

impl Collected {
    fn fatal(&mut self, fatal: Fatal) {
        if self.fatal.is_none() {
            self.fatal = Some(fatal);
        }
    }
}

async fn collect(target: &Target<'_>, dod: Option<&DodFile>, out: &mut Collected) {
    let mut observer = match crate::db::open(target.url, &target.config.exec).await {
        Ok(conn) => conn,
        Err(err) => {
            out.connection = Some(vec![Check::failed("connect", err.to_string())]);
            out.fatal(Fatal {
                at: "connecting to the target".into(),
                message: err.to_string(),
                exit_code: 3,
            });
            return;
        }
    };
    out.server_version = runbook::live::server_version(&mut observer).await.ok();
    let identity = match runbook::live::session_identity(&mut observer).await {
        Ok(Some(who)) => who,
        _ => match &out.sqlite_file {
            Some(_) => "the temporary SQLite file".to_string(),
            None => format!("`{}`", target.url.redacted()),
        },
    };
    let extensions = runbook::required_extensions(target.map.revisions().map(|r| r.revision()));
    out.connection =
        Some(collect::connection_checks(target, &mut observer, identity, &extensions).await);
    out.checksum = Some(collect::checksum_check(target).await);

    let mut runs = vec![stages::start(target, &mut observer).await];
    for (name, direction, to) in stages::STAGES {
        let stopped = runs.iter().find_map(|r| r.fatal.as_ref()).cloned();
        match stopped {
            Some(fatal) => runs.push(stages::StageRun {
                stage: assemble::not_run_stage(name, direction, to, &fatal),
                snapshot: None,
                fatal: None,
            }),
            None => runs.push(stages::run(target, &mut observer, name, direction, to).await),
        }
    }
    out.roundtrip = Some(stages::roundtrip_checks(target, &runs));
    let last = runs.last().and_then(|r| r.snapshot.clone());
    let fatal = runs.iter().find_map(|r| r.fatal.clone());
    out.stages = runs.into_iter().map(|r| r.stage).collect();
    match (fatal, last) {
        (Some(fatal), _) => out.fatal(fatal),
        (None, Some(snapshot)) => {
            out.constraints = Some(
                runbook::constraints(&snapshot, &target.config.naming).unwrap_or_else(|err| {
                    Constraints {
                        naming: vec![Check::failed("naming conventions", err.to_string())],
                        ..Constraints::default()
                    }
                }),
            );
            if let Some(dod) = dod {
                out.dod = Some(collect::dod_checks(dod, &mut observer).await);
            }
        }
        (None, None) => {}
    }
    let _ = observer.close().await;
}

fn write(
    config: &Config,
    request: &RunbookRequest,
    template: &Template,
    book: Runbook,
) -> Result<Written, Error> {
    let dir = request
        .out
        .clone()
        .unwrap_or_else(|| config.runbook_dir.clone());
    let stem = file_stem(&book);
    let markdown = dir.join(format!("{stem}.md"));
    let json = dir.join(format!("{stem}.json"));
    let scrubber = Scrubber::new(
        &config.here,
        config
            .database_url()
            .ok()
            .and_then(|u| u.password().map(str::to_string))
            .into_iter()
            .collect(),
        request.stable,
    );
    let text = scrubber.apply(&template.render(&|name| runbook::markdown_section(&book, name)));
    let data = scrubber.apply(&runbook::to_json(&book));
    let failed = |path: &Path, e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(|e| failed(&dir, e))?;
    std::fs::write(&markdown, text).map_err(|e| failed(&markdown, e))?;
    std::fs::write(&json, data).map_err(|e| failed(&json, e))?;
    Ok(Written {
        markdown,
        json,
        runbook: book,
    })
}

/// `<UTC date>_<project>`, or `<project>` with `--stable`; unsafe file-name characters
/// become `_`.
fn file_stem(book: &Runbook) -> String {
    let project: String = book
        .header
        .project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match &book.header.generated_at {
        Some(at) if !book.header.stable => {
            format!("{}_{project}", at.get(..10).unwrap_or(at))
        }
        _ => project,
    }
}
