//! Puts the runbook together from what was collected: the header (project, date,
//! version, git commit, operator, target), every section that was not reached marked as
//! not run with the reason, and the commands that reproduce the run. No I/O except
//! asking git for the project's commit.

use std::path::Path;

use super::seeds::SeedFiles;
use super::stages::{self, StageRun};
use super::{collect, roundtrip_stage, Collected, RunbookRequest};
use crate::config::Config;
use crate::dialect::Dialect;
use crate::roundtrip::{Place, STAGES};
use crate::runbook::{
    self, Constraints, Dod, DodFile, Evidence, Header, Preflight, Roundtrip, Runbook, Seeds,
    Summary, TargetInfo as TargetFacts,
};
use crate::seed::SeedChoice;

pub(super) fn assemble(
    config: &Config,
    request: &RunbookRequest,
    dialect: Dialect,
    preflight: Preflight,
    (dod, seed_files): (Option<&DodFile>, Option<&SeedFiles>),
    collected: Collected,
) -> Runbook {
    let why = collected.why_not_run();
    let connection = collected
        .connection
        .unwrap_or_else(|| vec![Evidence::not_run("connect", &why)]);
    let mut stages = collected.stages;
    if stages.is_empty() {
        for stage in &STAGES {
            stages.push(StageRun::not_run(stage.name, stage.command(), why.clone()).stage);
        }
        stages.push(roundtrip_stage::not_run(&request.roundtrip, why.clone()).stage);
    }
    let roundtrip = collected.roundtrip.unwrap_or_else(|| {
        vec![
            Evidence::not_run(stages::DOWN_TITLE, &why),
            Evidence::not_run(stages::UP_TITLE, &why),
            Evidence::not_run(roundtrip_stage::NAME, &why),
        ]
    });
    let constraints = collected.constraints.unwrap_or_else(|| Constraints {
        not_run: Some(why.trim_start_matches("not run: ").to_string()),
        ..Constraints::default()
    });
    let seeds = match (collected.seeds, seed_files) {
        (Some(seeds), _) => seeds,
        (None, Some(files)) => files.not_run(config, &why),
        (None, None) => Seeds {
            choice: request.seed,
            not_run: Some(why.trim_start_matches("not run: ").to_string()),
            ..Seeds::default()
        },
    };
    let dod_checks = match (collected.dod, dod) {
        (Some(checks), _) => checks,
        (None, Some(file)) => collect::dod_not_run(file, dialect, &why),
        (None, None) => Vec::new(),
    };
    let target = TargetFacts {
        mode: request.target,
        description: describe(request.target, dialect),
        url: collected.target_url,
    };
    Runbook {
        header: Header {
            project: project_name(config),
            generated_at: Some(chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()),
            mig_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: Some(git_commit(&config.here)),
            operator: Some(crate::db::history::operator()),
            config: format!(
                "`{}`, section `[{}]`",
                runbook::relative(&config.here, &config.path),
                config.section
            ),
            target,
            server_version: collected.server_version,
            pooler: collected.pooler,
            stable: false,
        },
        preflight,
        connection,
        stages,
        roundtrip: Roundtrip {
            procedure: procedure(collected.procedure.as_deref()),
            checks: roundtrip,
            revisions: collected.revisions,
        },
        constraints,
        seeds,
        dod: Dod {
            file: dod.map(|d| runbook::relative(&config.here, &d.path)),
            checks: dod_checks,
        },
        reproduce: reproduce(config, request, dod, seed_files),
        fatal: collected.fatal,
        summary: Summary::default(),
    }
}

fn procedure(verifier: Option<&str>) -> String {
    let stages = "The stages `upgrade heads`, `downgrade base` and `upgrade heads` again ran \
                  through the online engine; their catalog snapshots are compared: the start \
                  with the state after the downgrade (accepting what the revisions declare in \
                  `Downgrade Keeps`), and the two upgrades with each other.";
    match verifier {
        Some(verifier) => format!("{stages} {verifier}"),
        None => format!("{stages} Then the roundtrip verifier runs over the whole range."),
    }
}

fn describe(mode: Place, dialect: Dialect) -> String {
    match (mode, dialect) {
        (Place::Ephemeral, Dialect::Sqlite) | (Place::Scratch, Dialect::Sqlite) => {
            "a temporary SQLite file, removed afterwards".into()
        }
        (Place::Ephemeral, _) => {
            "a private PostgreSQL server started for this run on a unix socket, removed afterwards"
                .into()
        }
        (Place::Scratch, _) => {
            "a temporary database on the configured server, dropped afterwards".into()
        }
        (Place::InPlace, _) => "the configured database itself".into(),
    }
}

/// `[mig] project`, else the name of the ini file's directory.
pub fn project_name(config: &Config) -> String {
    // `runbook` resolved every setting first (`Config::check_settings`).
    config
        .project()
        .ok()
        .flatten()
        .or_else(|| {
            config
                .here
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "project".into())
}

/// `git rev-parse HEAD` in `dir`, marked when the work tree has uncommitted changes.
fn git_commit(dir: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
    };
    let head = match git(&["rev-parse", "HEAD"]) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(_) => return "not a git repository".into(),
        Err(_) => return "unknown (`git` could not be run)".into(),
    };
    let dirty = git(&["status", "--porcelain", "--", "."])
        .is_ok_and(|out| out.status.success() && !out.stdout.is_empty());
    if dirty {
        format!("{head} (with uncommitted changes)")
    } else {
        head
    }
}

fn reproduce(
    config: &Config,
    request: &RunbookRequest,
    dod: Option<&DodFile>,
    seeds: Option<&SeedFiles>,
) -> Vec<String> {
    let mut global = String::new();
    let file = runbook::relative(&config.here, &config.path);
    if file != "alembic.ini" {
        global.push_str(&format!(" -c {file}"));
    }
    if config.section != "alembic" {
        global.push_str(&format!(" -n {}", config.section));
    }
    let mut command = format!("mig{global} runbook {}", request.target.flag());
    if let Some(dod) = dod {
        command.push_str(&format!(
            " --dod {}",
            runbook::relative(&config.here, &dod.path)
        ));
    }
    if request.seed != SeedChoice::Required {
        command.push_str(&format!(" --seed {}", request.seed.as_str()));
    }
    if request.stable {
        command.push_str(" --stable");
    }
    let mut commands = vec![
        command,
        "# the stages by hand, against the configured database:".into(),
        format!("mig{global} upgrade heads"),
        format!("mig{global} downgrade base"),
        format!("mig{global} upgrade heads"),
        format!("mig{global} check"),
    ];
    if let Some(seeds) = seeds.filter(|s| s.any()) {
        if let Some(seed) = seeds.command() {
            commands.push(format!("mig{global} {seed}"));
        }
        commands.push(format!("mig{global} seed --list"));
    }
    commands
}
