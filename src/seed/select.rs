//! What the database says about the seeds (applied revisions, recorded seeds) and which
//! seeds a request selects: pending required ones by default, optional ones with
//! `--all`, changed ones with `--sync`, named ones always (with their pending `After:`
//! seeds). A selected seed whose `Requires:` revision is not applied refuses the run.

use std::collections::{BTreeMap, BTreeSet};

use super::report::SeedState;
use super::table::{SeedRow, SeedTable};
use super::{Seed, SeedError, SeedGraph, SeedKind};
use crate::config::Config;
use crate::db::{read_state, Connection, DbError};

/// Which seeds a run selects, and how.
#[derive(Debug, Clone, Default)]
pub struct SeedRequest {
    /// Seeds named on the command line (run even when applied; their pending `After:`
    /// seeds are added). Empty: the required seeds not applied yet.
    pub names: Vec<String>,
    /// Optional seeds too.
    pub all: bool,
    /// Applied seeds whose file changed run again.
    pub sync: bool,
    pub dry_run: bool,
}

/// What the database says: applied revisions and recorded seeds.
pub(super) struct Facts {
    pub applied: BTreeSet<String>,
    pub recorded: BTreeMap<String, SeedRow>,
}

impl Facts {
    pub async fn read(
        conn: &mut Connection,
        config: &Config,
        graph: &dyn SeedGraph,
    ) -> Result<Facts, DbError> {
        let heads = read_state(conn, &config.exec.version_table).await?.heads;
        let table = SeedTable::new(conn.dialect(), &config.exec);
        Ok(Facts {
            applied: graph.applied(&heads),
            recorded: table.read(conn).await?,
        })
    }

    pub fn state(&self, seed: &Seed) -> SeedState {
        match self.recorded.get(&seed.name) {
            Some(rec) if rec.checksum == seed.checksum() => SeedState::Applied {
                applied_at: rec.applied_at.clone(),
            },
            Some(rec) => SeedState::Changed {
                applied_at: rec.applied_at.clone(),
            },
            None => match &seed.requires {
                Some((needs, _)) if !self.applied.contains(needs) => SeedState::Blocked {
                    needs: needs.clone(),
                },
                _ => SeedState::Pending,
            },
        }
    }
}

/// The seeds to run, in run order, each with whether it was applied before.
pub(super) fn select<'s>(
    seeds: &'s [Seed],
    facts: &Facts,
    request: &SeedRequest,
) -> Result<Vec<(&'s Seed, bool)>, SeedError> {
    let known = || seeds.iter().map(|s| s.name.clone()).collect();
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    for name in &request.names {
        if !seeds.iter().any(|s| &s.name == name) {
            return Err(SeedError::UnknownSeed {
                name: name.clone(),
                known: known(),
            });
        }
        wanted.insert(name);
    }
    if request.names.is_empty() {
        for seed in seeds {
            let kind_ok = seed.kind == SeedKind::Required || request.all;
            let state_ok = match facts.state(seed) {
                SeedState::Pending | SeedState::Blocked { .. } => true,
                SeedState::Changed { .. } => request.sync,
                SeedState::Applied { .. } => false,
            };
            if kind_ok && state_ok {
                wanted.insert(&seed.name);
            }
        }
    } else {
        // A named seed brings the seeds it runs after, when they are not applied yet.
        // Seeds are in run order, so one pass from the end reaches every dependency.
        for seed in seeds.iter().rev() {
            if wanted.contains(seed.name.as_str()) {
                for dep in &seed.after {
                    if !facts.recorded.contains_key(dep) {
                        wanted.insert(dep);
                    }
                }
            }
        }
    }
    let selected: Vec<(&Seed, bool)> = seeds
        .iter()
        .filter(|s| wanted.contains(s.name.as_str()))
        .map(|s| (s, facts.recorded.contains_key(&s.name)))
        .collect();
    for (seed, _) in &selected {
        if let Some((needs, _)) = &seed.requires {
            if !facts.applied.contains(needs) {
                return Err(SeedError::Blocked {
                    seed: seed.name.clone(),
                    path: seed.path.clone(),
                    revision: needs.clone(),
                });
            }
        }
    }
    Ok(selected)
}
