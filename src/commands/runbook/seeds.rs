//! The runbook's seeds section. The seed files are read before anything runs; at the end
//! of a run that reached it, the chosen seeds (`--seed`, default `required`) are applied
//! on the target as `mig seed` (`--all`) would apply them, and every seed's state is read
//! with the function `mig seed --list` uses. A seed that fails is a failed check naming
//! the file, line and statement; one whose `Requires:` revision the run did not reach is
//! a warning. Failures are evidence, never errors.

use std::path::PathBuf;

use super::Target;
use crate::config::Config;
use crate::revision::graph::RevisionMap;
use crate::runbook::{self, Evidence, Mark, SeedRow, Seeds};
use crate::seed::{self, Seed, SeedChoice, SeedError, SeedReport, SeedRequest, SeedState};

/// The project's seed files as read before the run.
pub(super) struct SeedFiles {
    pub locations: Vec<PathBuf>,
    /// The seeds in run order, or why they could not be read.
    pub loaded: Result<Vec<Seed>, String>,
    pub choice: SeedChoice,
}

impl SeedFiles {
    /// Reads and orders the seed files of `config` (their `Requires:` checked against `map`).
    pub fn load(config: &Config, map: &RevisionMap, choice: SeedChoice) -> SeedFiles {
        match config.seed_locations() {
            Ok(locations) => SeedFiles {
                loaded: seed::load(&locations, map).map_err(|e| e.to_string()),
                locations,
                choice,
            },
            Err(err) => SeedFiles {
                locations: Vec::new(),
                loaded: Err(err.to_string()),
                choice,
            },
        }
    }

    /// Whether there is anything to report: seed files, or a failure to read them.
    pub fn any(&self) -> bool {
        self.loaded.as_ref().map_or(true, |seeds| !seeds.is_empty())
    }

    /// The `mig seed` command that applies what the runbook applied, if it applied anything.
    pub fn command(&self) -> Option<&'static str> {
        match self.choice {
            SeedChoice::Required => Some("seed"),
            SeedChoice::All => Some("seed --all"),
            SeedChoice::None => None,
        }
    }

    /// The section with its load check only, the rest not run for `why`.
    /// (With no seed files there is nothing that did not run.)
    pub fn not_run(&self, config: &Config, why: &str) -> Seeds {
        let mut seeds = self.section(config);
        if !self.any() {
            return seeds;
        }
        if self.loaded.is_ok() {
            seeds
                .checks
                .push(Evidence::not_run(self.apply_title(), why));
        }
        seeds.not_run = Some(why.trim_start_matches("not run: ").to_string());
        seeds
    }

    fn section(&self, config: &Config) -> Seeds {
        let mut checks = Vec::new();
        match &self.loaded {
            Ok(seeds) if seeds.is_empty() => {}
            Ok(seeds) => checks.push(Evidence::judged(
                "seed files load",
                true,
                format!(
                    "{} seed files, in run order: {}",
                    seeds.len(),
                    seeds
                        .iter()
                        .map(|s| format!("`{}` ({})", s.name, s.kind.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Err(message) => checks.push(Evidence::failed("seed files load", message)),
        }
        Seeds {
            locations: self
                .locations
                .iter()
                .map(|dir| runbook::relative(&config.here, dir))
                .collect(),
            choice: self.choice,
            not_run: None,
            checks,
            seeds: Vec::new(),
        }
    }

    fn apply_title(&self) -> &'static str {
        match self.choice {
            SeedChoice::Required => "required seeds apply",
            SeedChoice::All => "required and optional seeds apply",
            SeedChoice::None => "seeds apply",
        }
    }
}

/// Applies the chosen seeds on the target and reads every seed's state there.
pub(super) async fn run(target: &Target<'_>, files: &SeedFiles) -> Seeds {
    let config = target.config;
    let mut section = files.section(config);
    let Ok(seeds) = &files.loaded else {
        section.not_run = Some("the seed files could not be read".into());
        return section;
    };
    if seeds.is_empty() {
        return section;
    }
    let report = match files.choice {
        SeedChoice::None => {
            section.checks.push(Evidence::info(
                files.apply_title(),
                "not applied: `--seed none`",
            ));
            None
        }
        choice => {
            let request = SeedRequest {
                all: choice == SeedChoice::All,
                ..SeedRequest::default()
            };
            let result = seed::run(config, target.url, seeds, target.map, &request).await;
            section
                .checks
                .push(apply_check(files.apply_title(), &result));
            result.ok()
        }
    };
    match seed::list(config, target.url, seeds, target.map).await {
        Ok(entries) => {
            section.seeds = entries
                .into_iter()
                .map(|entry| {
                    let rows = report.as_ref().and_then(|r| {
                        r.seeds
                            .iter()
                            .find(|s| s.name == entry.name)
                            .map(|s| s.rows)
                    });
                    let (state, needs, applied_at) = match entry.state {
                        SeedState::Applied { applied_at } => ("applied", None, Some(applied_at)),
                        SeedState::Pending => ("pending", None, None),
                        SeedState::Changed { applied_at } => ("changed", None, Some(applied_at)),
                        SeedState::Blocked { needs } => ("blocked", Some(needs), None),
                    };
                    SeedRow {
                        order: entry.order,
                        name: entry.name,
                        kind: entry.kind,
                        file: runbook::relative(&config.here, &entry.path),
                        state: state.to_string(),
                        needs,
                        applied_at,
                        rows,
                    }
                })
                .collect();
        }
        Err(err) => section
            .checks
            .push(Evidence::failed("seed states", err.to_string())),
    }
    section
}

/// The outcome of applying the chosen seeds as a check.
fn apply_check(title: &str, result: &Result<SeedReport, SeedError>) -> Evidence {
    match result {
        Ok(report) if report.seeds.is_empty() => Evidence::info(
            title,
            "nothing to apply: every chosen seed was applied before this run",
        ),
        Ok(report) => Evidence::judged(
            title,
            true,
            format!(
                "applied {}, each in its own transaction, recorded in `{}`",
                report
                    .seeds
                    .iter()
                    .map(|s| format!("`{}` ({} rows)", s.name, s.rows))
                    .collect::<Vec<_>>()
                    .join(", "),
                seed::SEED_TABLE
            ),
        ),
        // The run did not reach the revision the seed needs (`--to`): worth a look, as
        // `mig seed` would refuse it the same way.
        Err(err @ SeedError::Blocked { .. }) => {
            Evidence::new(title, Mark::Warn, format!("not applied: {err}"))
        }
        Err(err) => Evidence::failed(title, err.to_string()),
    }
}
