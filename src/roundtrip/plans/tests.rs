use super::*;
use crate::revision::fixture::{map, rev};

fn heads(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn one(map: &RevisionMap, current: &[&str], id: &str) -> Option<(Vec<String>, String)> {
    let plan = downgrade_one(map, &heads(current), id)?;
    let ops = plan.steps.iter().map(|s| format!("{:?}", s.ops)).collect();
    Some((ops, plan.end_heads.join(",")))
}

fn graph() -> RevisionMap {
    map(vec![
        rev("a", &[]),
        rev("b1", &["a"]),
        rev("c1", &["a"]),
        rev("m", &["b1", "c1"]),
        rev("x", &[]),
    ])
}

#[test]
fn downgrades_exactly_one_revision_on_any_layout() {
    let map = graph();
    assert_eq!(one(&map, &["b1"], "b1").unwrap().1, "a");
    // Two branches off `a`: the sibling stays, its row too.
    assert_eq!(one(&map, &["b1", "c1"], "c1").unwrap().1, "b1");
    assert_eq!(one(&map, &["b1", "c1"], "b1").unwrap().1, "c1");
    // A merge goes back to both parents.
    assert_eq!(one(&map, &["m"], "m").unwrap().1, "c1,b1");
    // A second base leaves the other tree alone.
    assert_eq!(one(&map, &["m", "x"], "x").unwrap().1, "m");
    assert_eq!(one(&map, &["a"], "a").unwrap().1, "");
    // Not applied: nothing undoes it alone.
    assert!(one(&map, &["a"], "m").is_none());
}

#[test]
fn needs_follows_parents_across_merges() {
    let map = graph();
    assert!(needs(&map, "m", "a") && needs(&map, "m", "c1") && needs(&map, "b1", "a"));
    assert!(!needs(&map, "c1", "b1") && !needs(&map, "x", "a") && !needs(&map, "a", "a"));
}

#[test]
fn upgrade_order_is_oldest_first_and_respects_the_start() {
    let map = graph();
    let all = upgrade_order(&map, &[], "heads").unwrap();
    assert_eq!(all.len(), 5);
    let pos = |id: &str| all.iter().position(|x| x == id).unwrap();
    assert!(pos("a") < pos("b1") && pos("b1") < pos("m") && pos("c1") < pos("m"));
    assert_eq!(upgrade_order(&map, &heads(&["b1"]), "m").unwrap().len(), 2);
    assert!(upgrade_order(&map, &[], "nope").is_err());
}

#[test]
fn downgrades_stop_before_the_first_irreversible_revision() {
    let mut b = rev("b", &["a"]);
    b.downgrade = Downgrade::Irreversible { line: 9 };
    let c = rev("c", &["b"]);
    let map = map(vec![rev("a", &[]), b, c]);
    assert!(is_irreversible(&map, "b") && !is_irreversible(&map, "c"));
    let full = plan::downgrade(&map, &heads(&["c"]), "base").unwrap();
    let (cut, stopped) = until_irreversible(&map, full);
    assert_eq!(stopped.as_deref(), Some("b"));
    let ids: Vec<_> = cut.revisions().map(|r| r.id.clone()).collect();
    assert_eq!(ids, ["c"]);
    let plain = plan::downgrade(&map, &heads(&["c"]), "b").unwrap();
    assert_eq!(until_irreversible(&map, plain).1, None);
}
