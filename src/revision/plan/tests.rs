//! Plans against the acceptance graphs of the Alembic reference (section 6). Every
//! expected text was produced by running Alembic 1.20.1 on the same graph (online on
//! SQLite, printing each revision body and version-table statement, then the rows in
//! table order). Where Alembic's unmerge depends on a set's order, the expectation is
//! the run (`PYTHONHASHSEED=2`) that matches `mig`'s documented choice.

use insta::assert_snapshot;

use super::{downgrade, stamp, upgrade, Plan, StepKind, VersionOp};
use crate::revision::fixture::{
    branch_point, branched, chain, dependent, diamonds, linear, merged, strings, A, B, C, D, E,
};
use crate::revision::graph::RevisionMap;

/// The plan as the Alembic harness printed runs: bodies, version ops, final rows.
fn describe(plan: &Plan) -> String {
    let mut out = String::new();
    for step in &plan.steps {
        let revision = step.revision().map_or("", |r| r.id.as_str());
        match step.kind() {
            StepKind::Upgrade => out.push_str(&format!("up {revision}\n")),
            StepKind::Downgrade => out.push_str(&format!("down {revision}\n")),
            StepKind::Stamp => {}
        }
        for op in &step.ops {
            let line = match op {
                VersionOp::Insert { version } => format!("INSERT {version}"),
                VersionOp::Update { from, to } => format!("UPDATE {from}->{to}"),
                VersionOp::Delete { version } => format!("DELETE {version}"),
                VersionOp::DeleteAll => "DELETE ALL".to_owned(),
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&format!("rows: {}", plan.end_heads.join(" ")));
    out
}

fn outcome(result: Result<Plan, crate::revision::graph::CommandError>) -> String {
    match result {
        Ok(plan) => describe(&plan),
        Err(err) => format!("FAILED: {err}"),
    }
}

fn up(map: &RevisionMap, rows: &[&str], target: &str) -> String {
    outcome(upgrade(map, &strings(rows), target))
}

fn down(map: &RevisionMap, rows: &[&str], target: &str) -> String {
    outcome(downgrade(map, &strings(rows), target))
}

fn stamped(map: &RevisionMap, rows: &[&str], targets: &[&str], purge: bool) -> String {
    outcome(stamp(map, &strings(rows), &strings(targets), purge))
}

/// `-- Running <kind> <from> -> <to>` as Alembic's offline output writes it.
fn running(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|step| {
            let kind = match step.kind() {
                StepKind::Upgrade => "upgrade",
                StepKind::Downgrade => "downgrade",
                StepKind::Stamp => "stamp_revision",
            };
            format!(
                "-- Running {kind} {} -> {}",
                step.from.join(", "),
                step.to.join(", ")
            )
        })
        .collect()
}

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

fn describe_step(ops: &[VersionOp]) -> String {
    ops.iter()
        .map(|op| match op {
            VersionOp::Insert { version } => format!("INSERT {version}"),
            VersionOp::Update { from, to } => format!("UPDATE {from}->{to}"),
            VersionOp::Delete { version } => format!("DELETE {version}"),
            VersionOp::DeleteAll => "DELETE ALL".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
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
