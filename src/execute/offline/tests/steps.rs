//! Linear, merge and stamp plans, from base and from applied revisions.

use super::*;
use crate::revision::fixture::*;
use crate::revision::Revision;

#[tokio::test]
async fn linear_upgrade_from_base() {
    assert_like_alembic(
        "linear_upgrade",
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
    )
    .await;
}

#[tokio::test]
async fn linear_upgrade_matches_reference_section_2() {
    let rendered = render(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &foo_bar_upgrade(&foo_bar()),
    )
    .await;
    insta::assert_snapshot!(rendered, @r"
    BEGIN;

    CREATE TABLE alembic_version (
        version_num VARCHAR(32) NOT NULL, 
        CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
    );

    -- Running upgrade  -> aaa111

    CREATE TABLE foo (id INTEGER PRIMARY KEY);

    INSERT INTO alembic_version (version_num) VALUES ('aaa111') RETURNING alembic_version.version_num;

    -- Running upgrade aaa111 -> bbb222

    ALTER TABLE foo ADD COLUMN bar VARCHAR(10);

    UPDATE alembic_version SET version_num='bbb222' WHERE alembic_version.version_num = 'aaa111';

    COMMIT;
    ");
    assert!(rendered.ends_with("COMMIT;\n\n"));
}

#[tokio::test]
async fn linear_downgrade_range() {
    assert_like_alembic(
        "linear_downgrade",
        &ExecSettings::default(),
        &foo_bar_downgrade(&foo_bar()),
    )
    .await;
}

#[tokio::test]
async fn upgrade_not_from_base_creates_no_table() {
    let revisions = foo_bar();
    let plan = plan(
        &["aaa111"],
        vec![Steps(&revisions).up(
            "bbb222",
            &["aaa111"],
            &["bbb222"],
            vec![upd("aaa111", "bbb222")],
        )],
        &["bbb222"],
    );
    assert_like_alembic("linear_partial", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn empty_plan() {
    let plan = plan(&["bbb222"], vec![], &["bbb222"]);
    assert_like_alembic("nothing_to_do", &ExecSettings::default(), &plan).await;
}

fn merge_graph() -> Vec<Revision> {
    vec![
        rev("a", &[]).sql("a", &["CREATE TABLE t_a (id INTEGER)"], &["DROP TABLE t_a"]),
        rev("b1", &["a"]).sql(
            "b1",
            &["CREATE TABLE t_b1 (id INTEGER)"],
            &["DROP TABLE t_b1"],
        ),
        rev("c1", &["a"]).sql(
            "c1",
            &["CREATE TABLE t_c1 (id INTEGER)"],
            &["DROP TABLE t_c1"],
        ),
        rev("m", &["b1", "c1"]).sql("merge b1 and c1", &[], &[]),
    ]
}

#[tokio::test]
async fn merge_upgrade_reference_case_14() {
    let revisions = merge_graph();
    let s = Steps(&revisions);
    let plan = plan(
        &[],
        vec![
            s.up("a", &[], &["a"], vec![ins("a")]),
            s.up("c1", &["a"], &["c1"], vec![upd("a", "c1")]),
            s.up("b1", &["a"], &["b1"], vec![ins("b1")]),
            s.up("m", &["b1", "c1"], &["m"], vec![del("b1"), upd("c1", "m")]),
        ],
        &["m"],
    );
    assert_like_alembic("merge_upgrade", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn merge_downgrade_renders_several_targets() {
    let revisions = merge_graph();
    let s = Steps(&revisions);
    let plan = plan(
        &["m"],
        vec![
            s.down("m", &["m"], &["b1", "c1"], vec![ins("c1"), upd("m", "b1")]),
            s.down("b1", &["b1"], &["a"], vec![del("b1")]),
            s.down("c1", &["c1"], &["a"], vec![upd("c1", "a")]),
        ],
        &["a"],
    );
    assert_like_alembic("merge_downgrade", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn stamp_from_base_creates_the_table() {
    let plan = plan(
        &[],
        vec![stamp(&[], &["bbb222"], vec![ins("bbb222")])],
        &["bbb222"],
    );
    assert_like_alembic("stamp_head", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn stamp_range() {
    let plan = plan(
        &["aaa111"],
        vec![stamp(
            &["aaa111"],
            &["bbb222"],
            vec![upd("aaa111", "bbb222")],
        )],
        &["bbb222"],
    );
    assert_like_alembic("stamp_range", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn stamp_to_base() {
    let plan = plan(
        &["bbb222"],
        vec![stamp(&["bbb222"], &[], vec![del("bbb222")])],
        &[],
    );
    assert_like_alembic("stamp_base", &ExecSettings::default(), &plan).await;
}
