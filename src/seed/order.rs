//! The order seeds run in: every seed after the seeds its `After:` names, otherwise in
//! file-name order. Refuses duplicate names, unknown names and cycles, naming the files.
//! Pure.

use std::collections::{BTreeMap, BTreeSet};

use super::{Seed, SeedError};

/// `seeds` (in file-name order) sorted so that every seed comes after its `After:` seeds.
pub fn order(seeds: Vec<Seed>) -> Result<Vec<Seed>, SeedError> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, seed) in seeds.iter().enumerate() {
        if let Some(&first) = index.get(seed.name.as_str()) {
            return Err(SeedError::DuplicateName {
                name: seed.name.clone(),
                first: seeds[first].path.clone(),
                second: seed.path.clone(),
            });
        }
        index.insert(&seed.name, i);
    }
    for seed in &seeds {
        if let Some(missing) = seed.after.iter().find(|n| !index.contains_key(n.as_str())) {
            return Err(SeedError::UnknownAfter {
                path: seed.path.clone(),
                line: seed.after_line,
                seed: seed.name.clone(),
                missing: missing.clone(),
                known: index.keys().map(|k| k.to_string()).collect(),
            });
        }
    }
    let deps: Vec<Vec<usize>> = seeds
        .iter()
        .map(|seed| seed.after.iter().map(|n| index[n.as_str()]).collect())
        .collect();
    let mut placed = vec![false; seeds.len()];
    let mut sorted = Vec::with_capacity(seeds.len());
    while sorted.len() < seeds.len() {
        let next = (0..seeds.len()).find(|&i| !placed[i] && deps[i].iter().all(|&d| placed[d]));
        match next {
            Some(i) => {
                placed[i] = true;
                sorted.push(i);
            }
            None => return Err(cycle(&seeds, &deps, &placed)),
        }
    }
    let mut slots: Vec<Option<Seed>> = seeds.into_iter().map(Some).collect();
    Ok(sorted
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect())
}

/// The cycle among the seeds not placed: follow unplaced dependencies until one repeats.
fn cycle(seeds: &[Seed], deps: &[Vec<usize>], placed: &[bool]) -> SeedError {
    let start = placed.iter().position(|p| !p).unwrap_or_default();
    let mut path = vec![start];
    let mut seen = BTreeSet::from([start]);
    let mut at = start;
    while let Some(&next) = deps[at].iter().find(|&&d| !placed[d]) {
        if !seen.insert(next) {
            let from = path.iter().position(|&p| p == next).unwrap_or_default();
            path.drain(..from);
            path.push(next);
            break;
        }
        path.push(next);
        at = next;
    }
    SeedError::Cycle {
        seeds: path
            .into_iter()
            .map(|i| format!("`{}` ({})", seeds[i].name, seeds[i].path.display()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
