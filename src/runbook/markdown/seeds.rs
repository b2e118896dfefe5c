//! The seeds section: where the seed files are, which ones the run applied, the checks
//! (files load, chosen seeds apply) and every seed's state after the run. Pure formatting.

use std::fmt::Write as _;

use super::{cell, checks, code};
use crate::runbook::evidence::Mark;
use crate::runbook::model::Runbook;
use crate::seed::SeedChoice;

pub(super) fn seeds(runbook: &Runbook) -> String {
    let s = &runbook.seeds;
    let locations = if s.locations.is_empty() {
        "the seed locations".to_string()
    } else {
        s.locations
            .iter()
            .map(|l| code(l))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if s.checks.is_empty() && s.seeds.is_empty() {
        return match &s.not_run {
            Some(why) => format!("{} not run: {why}\n", Mark::NotRun.icon()),
            None => format!("No seed files in {locations} (`seed_locations`).\n"),
        };
    }
    let applied = match s.choice {
        SeedChoice::Required => {
            "the required seeds not applied yet were applied (as `mig seed` does)"
        }
        SeedChoice::All => {
            "the required and optional seeds not applied yet were applied (as `mig seed --all` does)"
        }
        SeedChoice::None => "no seed was applied",
    };
    let mut out = format!(
        "Seed files from {locations}; `--seed {}`: after the roundtrip verifier and before \
         the DoD checks, {applied}. The states are read from the target as `mig seed --list` \
         reads them.\n\n",
        s.choice.as_str()
    );
    out.push_str(&checks(&s.checks));
    if let Some(why) = &s.not_run {
        let _ = writeln!(out, "\n{} states not read: {why}", Mark::NotRun.icon());
    }
    if s.seeds.is_empty() {
        return out;
    }
    out.push_str("\n| # | seed | kind | file | state after the run | rows (this run) |\n");
    out.push_str("|---|---|---|---|---|---:|\n");
    for seed in &s.seeds {
        let mut state = match &seed.needs {
            Some(needs) => format!("{}: needs revision {}", seed.state, code(needs)),
            None => seed.state.clone(),
        };
        if let Some(at) = &seed.applied_at {
            let _ = write!(state, " ({at})");
        }
        let rows = seed.rows.map(|r| r.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {rows} |",
            seed.order,
            code(&seed.name),
            seed.kind.as_str(),
            cell(&code(&seed.file)),
            cell(&state)
        );
    }
    out
}
