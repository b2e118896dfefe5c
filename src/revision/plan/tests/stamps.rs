//! `stamp`: moves along a lineage, new branch rows, `base`, `--purge`, log lines.

use super::*;
use crate::revision::fixture::{branch_point, dependent, linear, merged, strings, C};

#[test]
fn stamps() {
    let (l, m, bp) = (linear(), merged(), branch_point());
    assert_snapshot!(stamped(&l, &[], &["head"], false), @r"
      INSERT 4e5f60718293
    rows: 4e5f60718293
    ");
    assert_snapshot!(stamped(&l, &[C], &["1a2b"], false), @r"
      UPDATE 3c4d5e6f7081->1a2b3c4d5e6f
    rows: 1a2b3c4d5e6f
    ");
    assert_snapshot!(stamped(&l, &[C], &["base"], false), @r"
      DELETE 3c4d5e6f7081
    rows:
    ");
    assert_snapshot!(stamped(&m, &["b1", "c1"], &["m"], false), @r"
      DELETE b1
      UPDATE c1->m
    rows: m
    ");
    assert_snapshot!(stamped(&m, &["m"], &["a"], false), @r"
      UPDATE m->a
    rows: a
    ");
    assert_snapshot!(stamped(&bp, &["d1", "d2"], &["b"], false), @r"
      DELETE d1
      UPDATE d2->b
    rows: b
    ");
    assert_snapshot!(stamped(&bp, &["d1", "d2"], &["base"], false), @r"
      DELETE d1
      DELETE d2
    rows:
    ");
    assert_snapshot!(stamped(&bp, &["b"], &["d1", "d2"], false), @r"
      UPDATE b->d1
      INSERT d2
    rows: d1 d2
    ");
    assert_snapshot!(stamped(&bp, &["b"], &["heads"], false), @r"
      UPDATE b->d1
      INSERT d2
    rows: d1 d2
    ");
    assert_snapshot!(stamped(&bp, &["d2"], &["c1"], false), @r"
      INSERT c1
    rows: d2 c1
    ");
    assert_snapshot!(stamped(&bp, &["d2"], &["d2"], false), @"rows: d2");
    assert_snapshot!(stamped(&bp, &["d1"], &["base", "c2"], false), @r"
      INSERT c2
    rows: d1 c2
    ");
    assert_snapshot!(
        stamped(&bp, &["b"], &["head"], false),
        @"FAILED: Multiple heads are present; please specify a single target revision"
    );
    assert_snapshot!(stamped(&dependent(), &[], &["heads"], false), @r"
      INSERT x2
    rows: x2
    ");
}

#[test]
fn stamp_purge_deletes_everything_first() {
    let bp = branch_point();
    assert_snapshot!(stamped(&bp, &["d1", "d2"], &["c1"], true), @r"
      DELETE ALL
      INSERT c1
    rows: c1
    ");
    assert_snapshot!(stamped(&bp, &["d1", "d2"], &["base"], true), @r"
      DELETE ALL
    rows:
    ");
}

#[test]
fn stamp_log_lines() {
    let bp = branch_point();
    let plan = stamp(&bp, &strings(&["b"]), &strings(&["d1"]), false).unwrap();
    assert_eq!(running(&plan), ["-- Running stamp_revision b -> d1"]);
    let plan = stamp(&bp, &strings(&["d1"]), &strings(&["base"]), false).unwrap();
    assert_eq!(running(&plan), ["-- Running stamp_revision d1 -> "]);
}
