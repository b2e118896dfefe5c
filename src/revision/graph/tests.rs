//! Graph building and resolution (`history` and `current`: `tests/history.rs`). Expected
//! messages and orders come from Alembic 1.20.1 (`RevisionMap` built from the same
//! revisions, or the `alembic` command on a project with the same graph).

use insta::assert_snapshot;

use super::fixture::{
    branch_point, chain, dependent, linear, map, merged, rev, strings, RevisionExt, A, B, C, D, E,
};
use super::resolve::Spec;
use super::{GraphError, RevisionMap, RevisionRef};
use crate::revision::Revision;

fn build_error(revisions: Vec<Revision>) -> String {
    match RevisionMap::new(revisions) {
        Ok(_) => "built".to_owned(),
        Err(err) => err.to_string(),
    }
}

fn ids(refs: &[RevisionRef<'_>]) -> Vec<String> {
    refs.iter().map(|r| r.id().to_owned()).collect()
}

/// Alembic's raw `RevisionError` text for `get_revision`, or the id it resolves to.
fn resolved(map: &RevisionMap, symbol: &str) -> String {
    match map.get_revision(symbol) {
        Ok(Some(revision)) => revision.id().to_owned(),
        Ok(None) => "base".to_owned(),
        Err(err) => err.to_string(),
    }
}

/// The text Alembic's commands print for the same resolution.
fn command(map: &RevisionMap, symbol: &str) -> String {
    match map.get_revision(symbol) {
        Ok(found) => found.map_or("base".to_owned(), |r| r.id().to_owned()),
        Err(err) => format!("FAILED: {}", err.into_command()),
    }
}

#[test]
fn case_24_cycles_and_self_loops() {
    let cycle = vec![rev("a", &["b"]), rev("b", &["c"]), rev("c", &["a"])];
    assert_snapshot!(build_error(cycle), @"Cycle is detected in revisions (a, b, c) (in `versions/a.sql`, `versions/b.sql`, `versions/c.sql`)");
    let no_head = vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["b", "d"]),
        rev("d", &["c"]),
    ];
    assert_snapshot!(build_error(no_head), @"Cycle is detected in revisions (a, b, c, d) (in `versions/a.sql`, `versions/b.sql`, `versions/c.sql`, `versions/d.sql`)");
    assert_snapshot!(build_error(vec![rev("a", &["a"])]), @"Self-loop is detected in revisions (a) (in `versions/a.sql`)");
    assert_snapshot!(
        build_error(vec![rev("a", &[]).dep("a")]),
        @"Dependency self-loop is detected in revisions (a) (in `versions/a.sql`)"
    );
    let dep_cycle = vec![
        rev("a", &[]),
        rev("b", &["a"]).dep("c"),
        rev("c", &["b"]).dep("b"),
    ];
    assert_snapshot!(build_error(dep_cycle), @"Dependency cycle is detected in revisions (a, b, c) (in `versions/a.sql`, `versions/b.sql`, `versions/c.sql`)");
    let dep_cycle = vec![
        rev("a", &[]),
        rev("b", &["a"]).dep("c"),
        rev("c", &["a"]).dep("b"),
    ];
    assert_snapshot!(build_error(dep_cycle), @"Dependency cycle is detected in revisions (a, b, c) (in `versions/a.sql`, `versions/b.sql`, `versions/c.sql`)");
}

#[test]
fn a_cycle_alembic_misses_is_refused() {
    // Every revision is below the head `h` and above the base `z`, so Alembic's check
    // passes and its walks would loop; c1 <-> c2 is still a cycle.
    let hidden = vec![
        rev("z", &[]),
        rev("c1", &["z", "c2"]),
        rev("c2", &["c1"]),
        rev("h", &["c1"]),
    ];
    assert_snapshot!(build_error(hidden), @"Cycle is detected in revisions (c1, c2) (in `versions/c1.sql`, `versions/c2.sql`)");
}

#[test]
fn duplicate_branch_labels() {
    let labels = vec![
        rev("a", &[]).label("x"),
        rev("b", &["a"]),
        rev("c", &[]).label("x"),
    ];
    assert_snapshot!(build_error(labels), @"Branch name 'x' in revision c already used by revision a (in `versions/c.sql` and `versions/a.sql`)");
    let clash_with_id = vec![
        rev("a", &[]),
        rev("b", &["a"]).label("xy1"),
        rev("c", &["a"]).label("b"),
    ];
    assert_snapshot!(build_error(clash_with_id), @"Branch name 'b' in revision c already used by revision b (in `versions/c.sql` and `versions/b.sql`)");
}

#[test]
fn bad_references_and_ids_name_the_file() {
    assert_snapshot!(
        build_error(vec![rev("a", &[]), rev("b", &["zz"])]),
        @"Revision zz referenced from b is not present (in `versions/b.sql`)"
    );
    assert_snapshot!(
        build_error(vec![rev("a", &[]).dep("nope")]),
        @"Dependency nope of revision a is not a known revision or branch label (in `versions/a.sql`)"
    );
    let mut second = rev("a", &[]);
    second.path = "versions/other.sql".into();
    assert_snapshot!(
        build_error(vec![rev("a", &[]), second]),
        @"Revision a is present more than once: `versions/a.sql` and `versions/other.sql`"
    );
    assert_snapshot!(
        build_error(vec![rev("a-b@c", &[])]),
        @"Character(s) '-, @' not allowed in revision identifier 'a-b@c' (in `versions/a-b@c.sql`)"
    );
    assert_snapshot!(
        build_error(vec![rev(&"x".repeat(33), &[])]),
        @"Revision identifier 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is longer than 32 characters and does not fit the version table (in `versions/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.sql`)"
    );
    assert_eq!(build_error(vec![rev(&"x".repeat(32), &[])]), "built");
}

#[test]
fn heads_bases_and_points() {
    let m = merged();
    assert_eq!(ids(&m.heads()), ["m"]);
    assert_eq!(ids(&m.bases()), ["a"]);
    let a = m.get("a").unwrap();
    assert!(a.is_branch_point() && !a.is_merge_point() && a.is_base());
    let merge = m.get("m").unwrap();
    assert!(merge.is_merge_point() && merge.is_head() && !merge.is_branch_point());
    assert_eq!(merge.down_revisions(), ["b1", "c1"]);
    assert_eq!(a.children(), ["b1", "c1"]);

    let bp = branch_point();
    assert_eq!(ids(&bp.heads()), ["d1", "d2"]);
    assert_eq!(ids(&bp.real_heads()), ["d1", "d2"]);
}

#[test]
fn case_26_effective_heads_and_real_heads() {
    let dep = dependent();
    assert_eq!(ids(&dep.heads()), ["a2", "x2"]);
    assert_eq!(ids(&dep.real_heads()), ["x2"]);
    assert_eq!(ids(&dep.bases()), ["a1", "x1"]);
    assert_eq!(ids(&dep.real_bases()), ["a1", "x1"]);
    let a2 = dep.get("a2").unwrap();
    assert!(a2.is_effective_head() && !a2.is_real_head());
    let x2 = dep.get("x2").unwrap();
    assert!(x2.is_real_head() && !x2.is_effective_head());
    assert_eq!(x2.dependencies(), ["a2"]);
    assert_eq!(x2.normalized_down_revisions(), ["x1", "a2"]);
    // `heads` prints `a2 (core) (effective head)` and `x2 (feat) (head)`.
    assert_eq!(a2.branch_labels(), ["core"]);
    assert_eq!(x2.branch_labels(), ["feat"]);
}

#[test]
fn dependencies_resolve_labels_and_drop_inherited_ones() {
    let by_label = map(vec![rev("a", &[]).label("core"), rev("b", &[]).dep("core")]);
    assert_eq!(by_label.get("b").unwrap().dependencies(), ["a"]);
    // c's dependency on a is implied: its ancestor b already depends on a.
    let inherited = map(vec![
        rev("a", &[]),
        rev("b", &["a"]).dep("a"),
        rev("c", &["b"]).dep("a"),
    ]);
    assert_eq!(
        inherited.get("c").unwrap().normalized_down_revisions(),
        ["b"]
    );
    // A dependency on an ancestor itself is kept, as Alembic keeps it.
    let ancestor = map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["b"]),
        rev("d", &["c"]).dep("b"),
    ]);
    assert_eq!(
        ancestor.get("d").unwrap().normalized_down_revisions(),
        ["c", "b"]
    );
}

fn labels(map: &RevisionMap) -> String {
    map.revisions()
        .map(|r| format!("{}:{}", r.id(), r.branch_labels().join(",")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn branch_labels_are_sorted_on_every_revision() {
    let chain = map(vec![
        rev("a", &[]).label("br1"),
        rev("b", &["a"]).label("br0"),
    ]);
    assert_snapshot!(labels(&chain), @"a:br0,br1 b:br0,br1");
}

#[test]
fn branch_labels_propagate_like_alembic() {
    let to_base = map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["b"]).label("lbl"),
    ]);
    assert_snapshot!(labels(&to_base), @"a:lbl b:lbl c:lbl");
    let stop_at_branch = map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("b2", &["a"]),
        rev("c", &["b"]).label("lbl"),
    ]);
    assert_snapshot!(labels(&stop_at_branch), @"a: b:lbl b2: c:lbl");
    let branching_below = map(vec![
        rev("a", &[]),
        rev("b", &["a"]).label("lbl"),
        rev("c", &["b"]),
        rev("c2", &["b"]),
    ]);
    assert_snapshot!(labels(&branching_below), @"a: b:lbl c:lbl c2:lbl");
    let merge = map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("x", &[]),
        rev("c", &["b", "x"]).label("lbl"),
    ]);
    assert_snapshot!(labels(&merge), @"a: b: x: c:lbl");
    let dependent = map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c", &["b"]).label("lbl"),
        rev("d", &[]).dep("b"),
    ]);
    assert_snapshot!(labels(&dependent), @"a: b: c:lbl d:");
    let two = map(vec![
        rev("a", &[]),
        rev("b", &["a"]).label("l1"),
        rev("c", &["b"]).label("l2"),
        rev("d", &["c"]),
    ]);
    assert_snapshot!(labels(&two), @"a:l1,l2 b:l1,l2 c:l1,l2 d:l1,l2");
    assert_snapshot!(labels(&branch_point()), @"a: b: c1:c1branch c2:c2branch d1:c1branch d2:c2branch");
}

#[test]
fn case_3_and_4_prefixes() {
    let l = linear();
    assert_snapshot!(resolved(&l, "3c4d"), @"Multiple revisions start with '3c4d': '3c4d5e6f7081', '3c4d99999999'...");
    assert_snapshot!(resolved(&l, "3c"), @"Multiple revisions start with '3c': '3c4d5e6f7081', '3c4d99999999'...");
    assert_snapshot!(resolved(&l, "zzzz"), @"No such revision or branch 'zzzz'");
    assert_snapshot!(
        resolved(&l, "xyz"),
        @"No such revision or branch 'xyz'; please ensure at least four characters are present for partial revision identifier matches"
    );
    assert_eq!(resolved(&l, "1"), A);
    assert_eq!(resolved(&l, "3c4d5"), C);
    assert_eq!(resolved(&l, E), E);
    assert_snapshot!(command(&l, "3c4d"), @"FAILED: Can't locate revision identified by '3c4d'");
    assert_snapshot!(command(&l, "zzzz"), @"FAILED: Can't locate revision identified by 'zzzz'");
}

#[test]
fn prefixes_also_match_labels() {
    let m = map(vec![
        rev("a", &[]),
        rev("b", &["a"]).label("feature"),
        rev("featxyz", &["a"]),
    ]);
    assert_snapshot!(resolved(&m, "feat"), @"Multiple revisions start with 'feat': 'featxyz', 'feature'...");
    assert_eq!(resolved(&m, "featu"), "b");
    assert_eq!(resolved(&m, "feature"), "b");
    let many = map(vec![
        rev("abcd", &[]),
        rev("abce", &["abcd"]),
        rev("abcf", &["abce"]),
        rev("abcg", &["abcf"]),
    ]);
    assert_snapshot!(resolved(&many, "abc"), @"Multiple revisions start with 'abc': 'abcd', 'abce', 'abcf'...");
}

#[test]
fn symbols() {
    let l = linear();
    assert_eq!(resolved(&l, "heads"), E);
    assert_eq!(resolved(&l, "head"), E);
    assert_eq!(resolved(&l, "base"), "base");
    assert_eq!(ids(&l.get_revisions("-1").unwrap()), [D]);
    assert!(l.get_revisions("-5").unwrap().is_empty());
    assert!(l.get_revisions("base").unwrap().is_empty());

    let bp = branch_point();
    assert_eq!(ids(&bp.get_revisions("heads").unwrap()), ["d1", "d2"]);
    assert_snapshot!(resolved(&bp, "head"), @"Multiple heads are present for given argument 'head'; d1, d2");
    assert_snapshot!(resolved(&bp, "heads"), @"Multiple heads are present for given argument 'heads'; d1, d2");
    assert_eq!(resolved(&bp, "c1branch@head"), "d1");
    assert_eq!(resolved(&bp, "c1branch@heads"), "d1");
    assert_eq!(resolved(&bp, "c1branch@base"), "base");
    assert_eq!(resolved(&bp, "c1branch"), "c1");
    assert_eq!(resolved(&bp, "c1br"), "c1");
    assert_eq!(resolved(&bp, "d1@head"), "d1");
    assert_eq!(resolved(&bp, "c1branch@b"), "b");
    assert_snapshot!(
        command(&bp, "head"),
        @"FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"
    );
}

#[test]
fn case_23_branch_membership() {
    let bp = branch_point();
    assert_snapshot!(resolved(&bp, "c1branch@d2"), @"Revision d2 is not a member of branch 'c1branch'");
    assert_snapshot!(resolved(&bp, "c1branch@c2"), @"Revision c2 is not a member of branch 'c1branch'");
    assert_snapshot!(resolved(&bp, "x@d1"), @"No such branch: 'x'");
    assert_snapshot!(command(&bp, "c1branch@d2"), @"FAILED: Can't locate revision identified by 'd2'");
    assert_snapshot!(command(&bp, "x@d1"), @"FAILED: Can't locate revision identified by 'x'");
}

#[test]
fn a_ten_thousand_chain_does_not_overflow_the_stack() {
    let map = chain(10_000);
    assert_eq!(ids(&map.heads()), ["r09999"]);
    let target = |text: &str| {
        map.parse_upgrade_target(Spec::Nil, Spec::Str(text), true)
            .map(|found| map.ids(&found).join(" "))
            .unwrap_or_else(|err| err.to_string())
    };
    assert_eq!(target("head-9999"), "r00000");
    assert_eq!(target("base+10000"), "r09999");
    assert_snapshot!(target("base+10001"), @"Relative revision +10001 didn't produce 10001 migrations");
    let all = map.history(None, None, &[]).unwrap();
    assert_eq!(all.len(), 10_000);
    assert_eq!(all[0].id(), "r09999");
    assert_eq!(
        map.current(&strings(&["r00005", "r09998"])).unwrap()[0].id(),
        "r09998"
    );
    let labelled = {
        let mut revisions: Vec<Revision> = map.revisions().map(|r| r.revision().clone()).collect();
        revisions[9_999] = revisions[9_999].clone().label("tip");
        RevisionMap::new(revisions).unwrap()
    };
    // The label spreads down the whole chain.
    assert_eq!(labelled.get("r00000").unwrap().branch_labels(), ["tip"]);
}

#[test]
fn graph_errors_are_comparable() {
    let err = RevisionMap::new(vec![rev("a", &["a"])]).unwrap_err();
    assert_eq!(
        err,
        GraphError::SelfLoop {
            id: "a".to_owned(),
            at: crate::revision::FileLine {
                path: "versions/a.sql".into(),
                line: None
            }
        }
    );
}

#[test]
fn repeated_parents_and_dependencies_count_once_in_order() {
    let map = map(vec![
        rev("a", &[]),
        rev("b", &[]),
        rev("c", &["b", "a", "b", "a"]).dep("a").dep("b").dep("a"),
    ]);
    let c = map.get("c").unwrap();
    assert_eq!(c.down_revisions(), ["b", "a"]);
    assert_eq!(c.dependencies(), ["a", "b"]);
    assert_eq!(map.get("a").unwrap().children(), ["c"]);
    assert_eq!(map.get("b").unwrap().children(), ["c"]);
}

mod history;
