//! `mig runbook`: provisions the target (a private PostgreSQL server or SQLite file by
//! default, a scratch database, or the configured database with `--in-place --yes`),
//! collects the evidence of SPEC section 9 - preflight, connection and privileges, the
//! stages with their steps and states, the roundtrip verifier's findings, constraint
//! evidence, the user's DoD checks - and writes it as Markdown (through the template) and
//! JSON. A failure anywhere still produces a runbook that says what failed; what was not
//! reached is marked as not run. Nothing here prints: the CLI reports the written files.

mod assemble;
mod collect;
mod gather;
mod roundtrip_stage;
mod seeds;
mod stages;

use std::future::Future;
use std::path::{Path, PathBuf};

use super::Error;
use crate::config::Config;
use crate::dialect::Dialect;
use crate::revision::directory::load_revisions;
use crate::revision::graph::RevisionMap;
use crate::roundtrip::{self, Place, Report, Workspace};
use crate::runbook::{
    self, preflight, DodFile, Evidence, Fatal, Runbook, Scrubber, Template, UrlFacts,
};
use crate::seed::SeedChoice;
use crate::url::DatabaseUrl;

use gather::{Collected, Extras};
use seeds::SeedFiles;

/// What `mig runbook` (or `mig roundtrip --runbook`) was asked to do.
#[derive(Debug, Clone)]
pub struct RunbookRequest {
    /// Output directory (default `[mig] runbook_dir`).
    pub out: Option<PathBuf>,
    /// DoD file (default `dod.toml` beside the ini file, when it exists).
    pub dod: Option<PathBuf>,
    /// Leave out what varies between runs.
    pub stable: bool,
    pub target: Place,
    /// How the roundtrip verifier runs after the stages.
    pub roundtrip: roundtrip::Options,
    /// Which seeds are applied after the verifier (before the DoD checks).
    pub seed: SeedChoice,
}

/// The files written and the runbook they hold.
#[derive(Debug)]
pub struct Written {
    pub markdown: PathBuf,
    pub json: PathBuf,
    pub runbook: Runbook,
    /// The roundtrip verifier's report, when it ran.
    pub report: Option<Report>,
}

impl Written {
    /// The exit code of SPEC section 5 for what the runbook found.
    pub fn exit_code(&self) -> i32 {
        self.runbook.summary.exit_code
    }

    /// The verdict line for the console: [`Runbook::verdict`] and the Markdown file.
    pub fn verdict(&self) -> String {
        format!(
            "{}, written to {}",
            self.runbook.verdict(),
            self.markdown.display()
        )
    }

    /// The console lines: the two files written and the verdict.
    pub fn lines(&self) -> String {
        format!(
            "Writing {} ...  done\nWriting {} ...  done\n{}",
            self.markdown.display(),
            self.json.display(),
            self.verdict()
        )
    }

    /// The exit code, or what failed as the error (the runbook itself is written).
    pub fn finish(&self) -> Result<i32, Error> {
        match self.failure() {
            Some(message) => Err(Error::Failed {
                message,
                code: self.exit_code(),
            }),
            None => Ok(self.exit_code()),
        }
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
/// (`<date>_<project>_2.md`, ... when that day's name is taken; `<project>.md`, written
/// over, with `--stable`). Usage errors (template, DoD file, unknown dialect)
/// come back as `Err` before anything runs; everything later is in the runbook. When
/// `interrupt` resolves first (Ctrl-C), the run stops, the target is removed and the
/// runbook says so, with the interrupt's value as the exit code.
pub async fn runbook<I>(
    config: &Config,
    request: &RunbookRequest,
    interrupt: I,
) -> Result<Written, Error>
where
    I: Future<Output = i32>,
{
    // The runbook shows every setting: a bad one stops it here (exit 2).
    config.check_settings()?;
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
        needed: request.target != Place::Ephemeral,
    };
    let mut preflight = preflight(
        config,
        loaded
            .as_ref()
            .map_err(|_| load_error.as_deref().unwrap_or_default()),
        &facts,
    );

    let seed_files = loaded
        .as_ref()
        .ok()
        .map(|map| SeedFiles::load(config, map, request.seed));
    let mut collected = Collected::default();
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
        (Ok(map), _) => {
            let roundtrip = request.roundtrip.at(request.target);
            let extras = Extras {
                roundtrip: &roundtrip,
                seeds: seed_files.as_ref(),
                dod: dod.as_ref(),
            };
            run_on_target(
                config,
                map,
                dialect,
                request,
                &extras,
                interrupt,
                &mut collected,
            )
            .await
        }
    }
    preflight.checks.push(
        collected
            .checksum
            .take()
            .unwrap_or_else(|| Evidence::not_run(collect::CHECKSUM_TITLE, collected.why_not_run())),
    );
    let report = collected.report.take();
    let mut book = assemble::assemble(
        config,
        request,
        dialect,
        preflight,
        (dod.as_ref(), seed_files.as_ref()),
        collected,
    );
    book.summarize();
    if request.stable {
        runbook::stabilize(&mut book);
    }
    write(config, request, &template, book, report)
}

/// Provisions the target, gathers the evidence on it (raced against `interrupt`) and
/// removes the target again.
async fn run_on_target<I>(
    config: &Config,
    map: &RevisionMap,
    dialect: Dialect,
    request: &RunbookRequest,
    extras: &Extras<'_>,
    interrupt: I,
    collected: &mut Collected,
) where
    I: Future<Output = i32>,
{
    let place = request.target;
    let mut interrupt = std::pin::pin!(interrupt);
    let workspace = match Workspace::provision(config, dialect, place, interrupt.as_mut()).await {
        Ok(workspace) => workspace,
        Err(err) => {
            collected.connection = Some(vec![Evidence::failed(
                "provision the target",
                err.to_string(),
            )]);
            collected.fatal(Fatal {
                at: "provisioning the target".into(),
                message: err.to_string(),
                exit_code: err.exit_code(),
            });
            return;
        }
    };
    collected.target_url = Some(workspace.url.to_string());
    let target = Target {
        config,
        map,
        url: &workspace.url,
    };
    let where_ = gather::TargetPlace {
        database: workspace.description.clone(),
        temp_sqlite: dialect == Dialect::Sqlite && place != Place::InPlace,
    };
    let raced = tokio::select! {
        () = gather::gather(&target, &where_, extras, collected) => Ok(()),
        code = interrupt.as_mut() => Err(code),
    };
    if let Err(err) = workspace.finish(raced).await {
        collected.fatal(Fatal {
            at: "the run".into(),
            message: err.to_string(),
            exit_code: err.exit_code(),
        });
    }
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

fn write(
    config: &Config,
    request: &RunbookRequest,
    template: &Template,
    book: Runbook,
    report: Option<Report>,
) -> Result<Written, Error> {
    let dir = request
        .out
        .clone()
        .map_or_else(|| config.runbook_dir(), Ok)?;
    let scrubber = Scrubber::new(
        &config.here,
        config
            .database_url()
            .ok()
            .and_then(|u| u.password().cloned())
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
    let (markdown, json) = claim(&dir, &file_stem(&book), !book.header.stable)
        .map_err(|(path, e)| failed(&path, e))?;
    std::fs::write(&markdown, text).map_err(|e| failed(&markdown, e))?;
    std::fs::write(&json, data).map_err(|e| failed(&json, e))?;
    Ok(Written {
        markdown,
        json,
        runbook: book,
        report,
    })
}

/// The Markdown and JSON paths for `stem` in `dir`. With `keep`, an earlier runbook is
/// never overwritten: the first free one of `<stem>.md`, `<stem>_2.md`, `<stem>_3.md`,
/// ... (with its `.json` free too) is created empty, so that two runs at once cannot
/// pick the same name. Without, `<stem>.md` is written over (`--stable`).
fn claim(
    dir: &Path,
    stem: &str,
    keep: bool,
) -> Result<(PathBuf, PathBuf), (PathBuf, std::io::Error)> {
    let paths = |stem: &str| {
        (
            dir.join(format!("{stem}.md")),
            dir.join(format!("{stem}.json")),
        )
    };
    if !keep {
        return Ok(paths(stem));
    }
    // Far more runbooks than a day has; past it, the error names the first name taken.
    for n in 1..=MAX_PER_DAY {
        let (markdown, json) = match n {
            1 => paths(stem),
            _ => paths(&format!("{stem}_{n}")),
        };
        if json.exists() {
            continue;
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&markdown);
        match created {
            Ok(_) => return Ok((markdown, json)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((markdown, e)),
        }
    }
    let taken = paths(stem).0;
    let why = format!("{MAX_PER_DAY} runbooks with this name exist already");
    Err((
        taken,
        std::io::Error::new(std::io::ErrorKind::AlreadyExists, why),
    ))
}

/// How many runbooks of one project and day [`claim`] names.
const MAX_PER_DAY: usize = 10_000;

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

#[cfg(test)]
mod tests;
