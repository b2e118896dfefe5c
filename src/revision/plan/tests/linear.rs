//! Linear histories: prefixes, relative targets, symbols, no-op and reversed targets,
//! start and end heads, the revisions steps hold, and a 10,000-revision chain.

use super::*;
use crate::revision::fixture::{chain, linear, strings, A, B, C, D, E};

#[test]
fn case_3_ambiguous_prefix_cannot_be_located() {
    assert_snapshot!(up(&linear(), &[], "3c4d"), @"FAILED: Can't locate revision identified by '3c4d'");
}

#[test]
fn case_5_relative_upgrade_from_empty() {
    assert_snapshot!(up(&linear(), &[], "+2"), @r"
    up 1a2b3c4d5e6f
      INSERT 1a2b3c4d5e6f
    up 2b3c4d5e6f70
      UPDATE 1a2b3c4d5e6f->2b3c4d5e6f70
    rows: 2b3c4d5e6f70
    ");
}

#[test]
fn case_6_relative_upgrade_past_the_head() {
    assert_snapshot!(up(&linear(), &[B], "+10"), @"FAILED: Relative revision +10 didn't produce 10 migrations");
}

#[test]
fn case_7_downgrade_by_a_positive_step() {
    assert_snapshot!(down(&linear(), &[C], "+1"), @"FAILED: Relative revision +1 didn't produce 1 migrations");
}

#[test]
fn case_8_upgrade_to_an_older_revision_is_a_no_op() {
    assert_snapshot!(up(&linear(), &[C], "1a2b"), @"rows: 3c4d5e6f7081");
}

#[test]
fn case_9_downgrade_to_a_newer_revision() {
    assert_snapshot!(
        down(&linear(), &[C], "4e5f"),
        @"FAILED: Destination 4e5f is not a valid downgrade target from current head(s)"
    );
}

#[test]
fn case_10_relative_targets_from_a_symbol() {
    assert_snapshot!(up(&linear(), &[C], "head-1"), @r"
    up 3c4d99999999
      UPDATE 3c4d5e6f7081->3c4d99999999
    rows: 3c4d99999999
    ");
    assert_snapshot!(up(&linear(), &[A], "1a2b+2"), @r"
    up 2b3c4d5e6f70
      UPDATE 1a2b3c4d5e6f->2b3c4d5e6f70
    up 3c4d5e6f7081
      UPDATE 2b3c4d5e6f70->3c4d5e6f7081
    rows: 3c4d5e6f7081
    ");
    assert_snapshot!(down(&linear(), &[D], "2b3c+1"), @r"
    down 3c4d99999999
      UPDATE 3c4d99999999->3c4d5e6f7081
    rows: 3c4d5e6f7081
    ");
}

#[test]
fn case_11_base_relative_and_downgrade_to_base() {
    assert_snapshot!(up(&linear(), &[], "base+1"), @r"
    up 1a2b3c4d5e6f
      INSERT 1a2b3c4d5e6f
    rows: 1a2b3c4d5e6f
    ");
    assert_snapshot!(down(&linear(), &[A], "base"), @r"
    down 1a2b3c4d5e6f
      DELETE 1a2b3c4d5e6f
    rows:
    ");
}

#[test]
fn linear_head_and_target_forms() {
    let l = linear();
    assert_snapshot!(up(&l, &[D], "heads"), @r"
    up 4e5f60718293
      UPDATE 3c4d99999999->4e5f60718293
    rows: 4e5f60718293
    ");
    assert_snapshot!(down(&l, &[E], "-2"), @r"
    down 4e5f60718293
      UPDATE 4e5f60718293->3c4d99999999
    down 3c4d99999999
      UPDATE 3c4d99999999->3c4d5e6f7081
    rows: 3c4d5e6f7081
    ");
    assert_snapshot!(down(&l, &[A], "-1"), @r"
    down 1a2b3c4d5e6f
      DELETE 1a2b3c4d5e6f
    rows:
    ");
    assert_snapshot!(down(&l, &[], "-1"), @"FAILED: Relative revision -1 didn't produce 1 migrations");
    assert_snapshot!(up(&l, &[], "-1"), @"FAILED: Relative revision -1 didn't produce 1 migrations");
}

#[test]
fn plans_record_start_and_end_heads() {
    let map = linear();
    let plan = upgrade(&map, &strings(&[B]), "head").unwrap();
    assert_eq!(plan.start_heads, [B]);
    assert_eq!(plan.end_heads, [E]);
    assert_eq!(plan.steps.len(), 3);
    assert_eq!(plan.steps[0].revision().map(|r| r.id.as_str()), Some(C));
    assert_eq!(plan.steps[1].from, [C]);
    assert_eq!(plan.steps[2].to, [E]);
    assert_eq!(plan.steps[1].revision().map(|r| r.id.as_str()), Some(D));
}

#[test]
fn steps_hold_the_revisions_of_the_map() {
    let map = linear();
    let plan = upgrade(&map, &strings(&[B]), "head").unwrap();
    for (step, id) in plan.steps.iter().zip([C, D, E]) {
        let held = step.revision().unwrap();
        assert!(std::ptr::eq(held, map.get(id).unwrap().revision()), "{id}");
    }
    assert_eq!(
        plan.revisions().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [C, D, E]
    );
    let stamped = stamp(&map, &strings(&[B]), &strings(&[E]), false).unwrap();
    assert!(stamped.steps.iter().all(|s| s.revision().is_none()));
    assert_eq!(stamped.revisions().count(), 0);
}

#[test]
fn a_long_chain_plans_without_deep_recursion() {
    let map = chain(10_000);
    let plan = upgrade(&map, &[], "head").unwrap();
    assert_eq!(plan.steps.len(), 10_000);
    assert_eq!(
        plan.steps[0].ops,
        [VersionOp::Insert {
            version: "r00000".into()
        }]
    );
    assert_eq!(plan.end_heads, ["r09999"]);
    let plan = downgrade(&map, &plan.end_heads, "base").unwrap();
    assert_eq!(plan.steps.len(), 10_000);
    assert_eq!(
        plan.steps[9_999].ops,
        [VersionOp::Delete {
            version: "r00000".into()
        }]
    );
    assert!(plan.end_heads.is_empty());
}
