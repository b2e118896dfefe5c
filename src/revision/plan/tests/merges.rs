//! Several heads and merge points: `heads`, upgrades through a merge, downgrades of a
//! merge to one parent or below the branch point, `-- Running` lines, 500 merge points.

use super::*;
use crate::revision::fixture::{branched, dependent, diamonds, merged, strings};

#[test]
fn case_12_head_with_several_heads() {
    assert_snapshot!(
        up(&branched(), &[], "head"),
        @"FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"
    );
}

#[test]
fn case_13_upgrade_all_heads() {
    assert_snapshot!(up(&branched(), &[], "heads"), @r"
    up a
      INSERT a
    up c1
      UPDATE a->c1
    up b1
      INSERT b1
    rows: c1 b1
    ");
}

#[test]
fn case_14_upgrade_through_a_merge() {
    assert_snapshot!(up(&merged(), &[], "head"), @r"
    up a
      INSERT a
    up c1
      UPDATE a->c1
    up b1
      INSERT b1
    up m
      DELETE b1
      UPDATE c1->m
    rows: m
    ");
}

#[test]
fn case_15_relative_downgrade_from_a_merge() {
    assert_snapshot!(down(&merged(), &["m"], "-1"), @"FAILED: Ambiguous walk");
}

#[test]
fn case_16_downgrade_a_merge_to_one_parent() {
    assert_snapshot!(down(&merged(), &["m"], "b1"), @r"
    down m
      INSERT b1
      UPDATE m->c1
    rows: c1 b1
    ");
}

#[test]
fn case_17_downgrade_a_merge_below_the_branch_point() {
    assert_snapshot!(down(&merged(), &["m"], "a"), @r"
    down m
      INSERT b1
      UPDATE m->c1
    down b1
      DELETE b1
    down c1
      UPDATE c1->a
    rows: a
    ");
}

#[test]
fn merged_downgrade_to_base() {
    assert_snapshot!(down(&merged(), &["m"], "base"), @r"
    down m
      INSERT b1
      UPDATE m->c1
    down b1
      DELETE b1
    down c1
      UPDATE c1->a
    down a
      DELETE a
    rows:
    ");
}

#[test]
fn merged_upgrades_from_one_parent() {
    assert_snapshot!(up(&merged(), &["b1"], "heads"), @r"
    up c1
      INSERT c1
    up m
      DELETE b1
      UPDATE c1->m
    rows: m
    ");
    assert_snapshot!(up(&merged(), &["c1"], "m"), @r"
    up b1
      INSERT b1
    up m
      DELETE b1
      UPDATE c1->m
    rows: m
    ");
}

#[test]
fn running_lines_show_versioned_parents() {
    let map = merged();
    let plan = upgrade(&map, &strings(&["b1"]), "m").unwrap();
    assert_eq!(
        running(&plan),
        [
            "-- Running upgrade a -> c1",
            "-- Running upgrade b1, c1 -> m"
        ]
    );
    let plan = downgrade(&map, &strings(&["m"]), "base").unwrap();
    assert_eq!(
        running(&plan),
        [
            "-- Running downgrade m -> b1, c1",
            "-- Running downgrade b1 -> a",
            "-- Running downgrade c1 -> a",
            "-- Running downgrade a -> ",
        ]
    );
    // Dependencies are not part of the log line.
    let map = dependent();
    let plan = upgrade(&map, &[], "heads").unwrap();
    assert_eq!(
        running(&plan),
        [
            "-- Running upgrade  -> a1",
            "-- Running upgrade a1 -> a2",
            "-- Running upgrade  -> x1",
            "-- Running upgrade x1 -> x2",
        ]
    );
    let plan = downgrade(&map, &strings(&["x2"]), "base").unwrap();
    assert_eq!(
        running(&plan),
        [
            "-- Running downgrade x2 -> x1",
            "-- Running downgrade x1 -> ",
            "-- Running downgrade a2 -> a1",
            "-- Running downgrade a1 -> ",
        ]
    );
}

#[test]
fn many_merge_points_plan_in_alembic_order() {
    let map = diamonds(500);
    let plan = upgrade(&map, &[], "head").unwrap();
    assert_eq!(plan.steps.len(), 1 + 3 * 500);
    // Per diamond: the later-loaded parent first, then the other as a new row, then the
    // merge deletes the first-listed parent and updates the second (as in case 14).
    let first: Vec<String> = plan.steps[..4]
        .iter()
        .map(|s| describe_step(&s.ops))
        .collect();
    assert_eq!(
        first,
        [
            "INSERT x0000",
            "UPDATE x0000->q0000",
            "INSERT p0000",
            "DELETE p0000; UPDATE q0000->x0001"
        ]
    );
    assert_eq!(plan.end_heads, ["x0500"]);
    let back = downgrade(&map, &plan.end_heads, "base").unwrap();
    assert_eq!(back.steps.len(), plan.steps.len());
    assert!(back.end_heads.is_empty());
}
