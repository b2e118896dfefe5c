//! Revision bodies: Alembic's statement formatting, and `Transaction: none` revisions in
//! Alembic's autocommit block.

use super::*;
use crate::revision::fixture::*;
use crate::revision::Revision;

#[tokio::test]
async fn tabs_and_comments_in_bodies_are_formatted_like_alembic() {
    let revisions = vec![rev("aaa111", &[]).sql(
        "tabs and comments",
        &[
            "-- the main table\nCREATE TABLE foo (\n\tid INTEGER PRIMARY KEY,\n\tname VARCHAR(20)\n)",
            "INSERT INTO foo (id, name) VALUES (1, 'it''s 100%')",
        ],
        &["DROP TABLE foo"],
    )];
    let plan = plan(
        &[],
        vec![Steps(&revisions).up("aaa111", &[], &["aaa111"], vec![ins("aaa111")])],
        &["aaa111"],
    );
    assert_like_alembic("formatting", &ExecSettings::default(), &plan).await;
}

fn autocommit_revisions() -> Vec<Revision> {
    vec![
        rev("aaa111", &[]).sql(
            "create foo",
            &["CREATE TABLE foo (id INTEGER PRIMARY KEY, bar TEXT)"],
            &["DROP TABLE foo"],
        ),
        rev("bbb222", &["aaa111"])
            .sql(
                "index concurrently",
                &[
                    "CREATE INDEX CONCURRENTLY ix_foo_bar ON foo (bar)",
                    "CREATE INDEX CONCURRENTLY ix_foo_id ON foo (id)",
                ],
                &[
                    "DROP INDEX CONCURRENTLY ix_foo_id",
                    "DROP INDEX CONCURRENTLY ix_foo_bar",
                ],
            )
            .outside_transaction(),
        rev("ccc333", &["bbb222"]).sql(
            "add baz",
            &["ALTER TABLE foo ADD COLUMN baz INTEGER"],
            &["ALTER TABLE foo DROP COLUMN baz"],
        ),
    ]
}

fn autocommit_upgrade(revisions: &[Revision]) -> Plan<'_> {
    let s = Steps(revisions);
    plan(
        &[],
        vec![
            s.up("aaa111", &[], &["aaa111"], vec![ins("aaa111")]),
            s.up(
                "bbb222",
                &["aaa111"],
                &["bbb222"],
                vec![upd("aaa111", "bbb222")],
            ),
            s.up(
                "ccc333",
                &["bbb222"],
                &["ccc333"],
                vec![upd("bbb222", "ccc333")],
            ),
        ],
        &["ccc333"],
    )
}

#[tokio::test]
async fn transaction_none_renders_alembic_autocommit_block() {
    assert_like_alembic(
        "autocommit",
        &ExecSettings::default(),
        &autocommit_upgrade(&autocommit_revisions()),
    )
    .await;
}

#[tokio::test]
async fn transaction_none_downgrade() {
    let revisions = autocommit_revisions();
    let s = Steps(&revisions);
    let plan = plan(
        &["ccc333"],
        vec![
            s.down(
                "ccc333",
                &["ccc333"],
                &["bbb222"],
                vec![upd("ccc333", "bbb222")],
            ),
            s.down(
                "bbb222",
                &["bbb222"],
                &["aaa111"],
                vec![upd("bbb222", "aaa111")],
            ),
            s.down("aaa111", &["aaa111"], &[], vec![del("aaa111")]),
        ],
        &[],
    );
    assert_like_alembic("autocommit_downgrade", &ExecSettings::default(), &plan).await;
}

#[tokio::test]
async fn transaction_none_with_transaction_per_migration() {
    let settings = settings("alembic_version", None, true, true);
    assert_like_alembic(
        "autocommit_per_migration",
        &settings,
        &autocommit_upgrade(&autocommit_revisions()),
    )
    .await;
}
