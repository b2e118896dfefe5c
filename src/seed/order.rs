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
mod tests {
    use std::path::Path;

    use super::*;
    use crate::seed::parse_seed;

    fn seed(name: &str, after: &str) -> Seed {
        let text = format!("-- Seed: {name}\n-- After: {after}\nSELECT 1;\n");
        parse_seed(Path::new(&format!("seeds/{name}.sql")), &text).unwrap()
    }

    fn names(seeds: &[Seed]) -> Vec<&str> {
        seeds.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn after_comes_first_else_file_order() {
        let sorted = order(vec![
            seed("a", "c"),
            seed("b", ""),
            seed("c", "b"),
            seed("d", ""),
        ])
        .unwrap();
        assert_eq!(names(&sorted), ["b", "c", "a", "d"]);
    }

    #[test]
    fn cycles_unknown_and_duplicate_names_are_refused_with_files() {
        let err = order(vec![seed("x", ""), seed("a", "b"), seed("b", "a")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "seeds run after each other in a cycle: `a` (seeds/a.sql) -> `b` (seeds/b.sql) -> `a` (seeds/a.sql)"
        );
        let err = order(vec![seed("a", "nope")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "seeds/a.sql:2: seed `a` runs after `nope`, which no seed file names (seeds: a)"
        );
        let mut twin = seed("a", "");
        twin.path = "other/a.sql".into();
        let err = order(vec![seed("a", ""), twin]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "seed `a` is named by two files: seeds/a.sql and other/a.sql"
        );
    }
}
