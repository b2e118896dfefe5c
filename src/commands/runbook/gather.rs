//! The live part of a runbook, in order: connect, connection and privileges, checksums
//! against the history table, the start state, the three stages, the roundtrip verifier,
//! constraint evidence at the end state, the seeds, the DoD checks. Each part fills its slot in
//! [`Collected`]; the first failure stops the parts after it, which stay `None` (not
//! run). Never returns an error: failures are evidence.

use super::seeds::{self, SeedFiles};
use super::stages::{self, StageRun};
use super::{collect, roundtrip_stage, Target};
use crate::roundtrip::{Options, Report, Stages, STAGES};
use crate::runbook::probe::Observer;
use crate::runbook::{self, Constraints, DodFile, Evidence, Fatal, RevisionOutcome, Seeds, Stage};

/// What the live part found; `None` sections were not reached.
#[derive(Default)]
pub(super) struct Collected {
    pub target_url: Option<String>,
    pub server_version: Option<String>,
    /// Through a transaction-mode pooler: what the observer found ([`crate::db::Pooler::describe`]).
    pub pooler: Option<String>,
    pub connection: Option<Vec<Evidence>>,
    pub checksum: Option<Evidence>,
    pub stages: Vec<Stage>,
    pub roundtrip: Option<Vec<Evidence>>,
    pub revisions: Vec<RevisionOutcome>,
    pub procedure: Option<String>,
    pub report: Option<Report>,
    pub constraints: Option<Constraints>,
    pub seeds: Option<Seeds>,
    pub dod: Option<Vec<Evidence>>,
    pub fatal: Option<Fatal>,
}

impl Collected {
    /// Records what stopped the run (the first failure wins).
    pub fn fatal(&mut self, fatal: Fatal) {
        if self.fatal.is_none() {
            self.fatal = Some(fatal);
        }
    }

    /// `not run: <where> failed` for what the run did not reach.
    pub fn why_not_run(&self) -> String {
        match &self.fatal {
            Some(fatal) => not_run(fatal),
            None => "not run".to_string(),
        }
    }
}

/// `not run: <where> failed`.
fn not_run(fatal: &Fatal) -> String {
    format!("not run: {} failed", fatal.at)
}

/// Where the target is: the workspace's words, and whether it is a temp SQLite file.
pub(super) struct TargetPlace {
    pub database: String,
    pub temp_sqlite: bool,
}

/// What the live part runs besides the stages: the verifier's options, the seeds and
/// the DoD checks.
pub(super) struct Extras<'a> {
    pub roundtrip: &'a Options,
    pub seeds: Option<&'a SeedFiles>,
    pub dod: Option<&'a DodFile>,
}

/// Runs the live part against `target`, filling `out` as it goes (so an interrupt keeps
/// what was found so far).
pub(super) async fn gather(
    target: &Target<'_>,
    place: &TargetPlace,
    extras: &Extras<'_>,
    out: &mut Collected,
) {
    let mut observer = match Observer::open(target.url, &target.config.exec).await {
        Ok(observer) => observer,
        Err(err) => {
            out.connection = Some(vec![Evidence::failed("connect", err.to_string())]);
            out.fatal(Fatal {
                at: "connecting to the target".into(),
                message: err.to_string(),
                exit_code: 3,
            });
            return;
        }
    };
    out.server_version = runbook::probe::server_version(&mut observer.conn)
        .await
        .ok();
    out.pooler = observer
        .pooler
        .is_transaction()
        .then(|| observer.pooler.describe().to_string());
    let identity = match runbook::probe::session_identity(&mut observer.conn).await {
        Ok(Some(who)) => who,
        _ if place.temp_sqlite => "the temporary SQLite file".to_string(),
        _ => format!("`{}`", target.url),
    };
    let extensions = runbook::required_extensions(target.map.revisions().map(|r| r.revision()));
    out.connection =
        Some(collect::connection_checks(target, &mut observer, identity, &extensions).await);
    out.checksum = Some(collect::checksum_check(target).await);

    let stages = match Stages::new(target.config, target.map, target.url) {
        Ok(stages) => stages,
        Err(err) => {
            out.fatal(Fatal {
                at: "reading the snapshot options".into(),
                message: err.to_string(),
                exit_code: err.exit_code(),
            });
            observer.close().await;
            return;
        }
    };
    let mut runs = vec![stages::start(target, &stages, &mut observer).await];
    for stage in &STAGES {
        let stopped = runs.iter().find_map(|r| r.fatal.clone());
        runs.push(match stopped {
            Some(fatal) => StageRun::not_run(stage.name, stage.command(), not_run(&fatal)),
            None => stages::run(target, &stages, &mut observer, stage).await,
        });
    }
    let mut checks = stages::stage_checks(&stages, &runs);
    let stopped = runs.iter().find_map(|r| r.fatal.clone());
    match &stopped {
        None => {
            let verified = roundtrip_stage::run(
                target,
                &stages,
                &mut observer,
                extras.roundtrip,
                &place.database,
            )
            .await;
            checks.extend(verified.checks);
            out.revisions = verified.revisions;
            out.procedure = verified.procedure;
            out.report = verified.report;
            runs.push(verified.run);
        }
        Some(fatal) => {
            checks.push(Evidence::not_run(roundtrip_stage::NAME, not_run(fatal)));
            runs.push(roundtrip_stage::not_run(extras.roundtrip, not_run(fatal)));
        }
    }
    out.roundtrip = Some(checks);
    let end = runs.last().and_then(|r| r.snapshot.clone());
    let fatal = runs.iter().find_map(|r| r.fatal.clone());
    out.stages = runs.into_iter().map(|r| r.stage).collect();
    match (fatal, end) {
        (Some(fatal), _) => out.fatal(fatal),
        (None, Some(snapshot)) => {
            out.constraints = Some(
                runbook::constraints(&snapshot, &target.config.naming().unwrap_or_default())
                    .unwrap_or_else(|err| Constraints {
                        naming: vec![Evidence::failed("naming conventions", err.to_string())],
                        ..Constraints::default()
                    }),
            );
            // Before the DoD checks, so that they can check the seeded data too.
            if let Some(files) = extras.seeds {
                out.seeds = Some(seeds::run(target, files).await);
            }
            if let Some(dod) = extras.dod {
                out.dod = Some(collect::dod_checks(dod, &mut observer).await);
            }
        }
        (None, None) => {}
    }
    observer.close().await;
}
