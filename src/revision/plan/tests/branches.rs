//! Branch points, branch labels (`label@head`, `label@base+2`, `label@-1`) and
//! `depends_on`, overlapping and unknown rows.

use super::*;
use crate::revision::fixture::{branch_point, dependent, linear, A, C};

#[test]
fn case_18_relative_upgrade_from_two_rows() {
    assert_snapshot!(
        up(&branch_point(), &["c1", "c2"], "+1"),
        @"FAILED: Ambiguous upgrade from multiple current revisions"
    );
}

#[test]
fn case_19_branch_head_minus_one() {
    assert_snapshot!(up(&branch_point(), &["b"], "c2branch@head-1"), @r"
    up c2
      UPDATE b->c2
    rows: c2
    ");
}

#[test]
fn case_20_downgrade_to_branch_base_plus_two() {
    assert_snapshot!(down(&branch_point(), &["d1", "d2"], "c2branch@base+2"), @r"
    down d2
      UPDATE d2->c2
    down c2
      DELETE c2
    rows: d1
    ");
}

#[test]
fn case_21_relative_downgrade_on_a_branch() {
    assert_snapshot!(down(&branch_point(), &["d1", "d2"], "c1branch@-1"), @r"
    down d1
      UPDATE d1->c1
    rows: c1 d2
    ");
}

#[test]
fn case_22_relative_upgrade_onto_another_branch() {
    assert_snapshot!(up(&branch_point(), &["c1"], "c2branch@+1"), @r"
    up c2
      INSERT c2
    rows: c1 c2
    ");
}

#[test]
fn branch_point_walks() {
    let map = branch_point();
    assert_snapshot!(up(&map, &[], "heads"), @r"
    up a
      INSERT a
    up b
      UPDATE a->b
    up c2
      UPDATE b->c2
    up d2
      UPDATE c2->d2
    up c1
      INSERT c1
    up d1
      UPDATE c1->d1
    rows: d2 d1
    ");
    assert_snapshot!(down(&map, &["d2", "d1"], "base"), @r"
    down d1
      UPDATE d1->c1
    down c1
      DELETE c1
    down d2
      UPDATE d2->c2
    down c2
      UPDATE c2->b
    down b
      UPDATE b->a
    down a
      DELETE a
    rows:
    ");
    assert_snapshot!(down(&map, &["d1", "d2"], "b"), @r"
    down d1
      UPDATE d1->c1
    down c1
      DELETE c1
    down d2
      UPDATE d2->c2
    down c2
      UPDATE c2->b
    rows: b
    ");
    assert_snapshot!(down(&map, &["d1", "d2"], "c2branch@b"), @r"
    down d2
      UPDATE d2->c2
    down c2
      DELETE c2
    rows: d1
    ");
    assert_snapshot!(up(&map, &["b"], "c1branch@+2"), @r"
    up c1
      UPDATE b->c1
    up d1
      UPDATE c1->d1
    rows: d1
    ");
    // Alembic warns that this is ambiguous and walks down the first row.
    assert_snapshot!(down(&map, &["d1", "d2"], "-1"), @r"
    down d1
      UPDATE d1->c1
    rows: c1 d2
    ");
}

#[test]
fn case_25_branch_head_pulls_in_dependencies() {
    assert_snapshot!(up(&dependent(), &[], "feat@head"), @r"
    up a1
      INSERT a1
    up a2
      UPDATE a1->a2
    up x1
      INSERT x1
    up x2
      DELETE x1
      UPDATE a2->x2
    rows: x2
    ");
}

#[test]
fn dependency_graph_walks() {
    let map = dependent();
    assert_snapshot!(up(&map, &[], "head"), @"FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads");
    assert_snapshot!(up(&map, &[], "core@head"), @r"
    up a1
      INSERT a1
    up a2
      UPDATE a1->a2
    rows: a2
    ");
    assert_snapshot!(up(&map, &["a2"], "x2"), @r"
    up x1
      INSERT x1
    up x2
      DELETE x1
      UPDATE a2->x2
    rows: x2
    ");
    assert_snapshot!(down(&map, &["x2"], "base"), @r"
    down x2
      INSERT x1
      UPDATE x2->a2
    down x1
      DELETE x1
    down a2
      UPDATE a2->a1
    down a1
      DELETE a1
    rows:
    ");
    assert_snapshot!(down(&map, &["x2"], "a1"), @r"
    down x2
      INSERT x1
      UPDATE x2->a2
    down a2
      UPDATE a2->a1
    rows: a1 x1
    ");
    assert_snapshot!(down(&map, &["x2"], "x1"), @r"
    down x2
      INSERT x1
      UPDATE x2->a2
    rows: a2 x1
    ");
}

#[test]
fn case_27_overlapping_rows() {
    let expected = "FAILED: Requested revision 3c4d5e6f7081 overlaps with other requested revisions 1a2b3c4d5e6f";
    assert_eq!(up(&linear(), &[A, C], "head"), expected);
    assert_eq!(up(&linear(), &[C, A], "head"), expected);
}

#[test]
fn unknown_row_cannot_be_located() {
    assert_snapshot!(up(&linear(), &["deadbeef0000"], "head"), @"FAILED: Can't locate revision identified by 'deadbeef0000'");
}
