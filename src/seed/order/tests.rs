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
