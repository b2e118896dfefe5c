//! A snapshot sends a constant number of statements, whatever the number of objects; and
//! what a snapshot leaves out (mig's bookkeeping tables, `ignore` patterns).

use mig::catalog::{IgnorePattern, Kind, SnapshotOptions, TableRef, POSTGRES_STATEMENTS};

use crate::catalog_pg::Pg;

fn tables(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL UNIQUE, \
                 parent int REFERENCES t{i} (id), CHECK (name <> '')); \
                 CREATE INDEX ix_t{i}_parent ON t{i} (parent); COMMENT ON TABLE t{i} IS 'n';"
            )
        })
        .collect()
}

async fn statements_for(test: &str, n: usize) -> (usize, usize) {
    let mut pg = Pg::new(test).await;
    pg.exec(&tables(n)).await;
    let opts = SnapshotOptions::default();
    let snapshot = pg.snapshot_with(&opts).await;
    (opts.queries.get(), snapshot.of_kind(Kind::Table).count())
}

#[tokio::test]
async fn ten_tables_and_a_hundred_take_the_same_statements() {
    let (small, small_tables) = statements_for("cat_count_10", 10).await;
    let (large, large_tables) = statements_for("cat_count_100", 100).await;
    assert_eq!((small_tables, large_tables), (10, 100));
    assert_eq!(small, large);
    assert_eq!(small, POSTGRES_STATEMENTS);
}

#[tokio::test]
async fn bookkeeping_tables_and_ignored_objects_are_left_out() {
    let mut pg = Pg::new("cat_excluded").await;
    pg.exec(
        "CREATE SCHEMA zero_admin; \
         CREATE TABLE zero_admin.alembic_version (version_num varchar(32) NOT NULL, \
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); \
         CREATE TABLE zero_admin.mig_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); \
         COMMENT ON TABLE zero_admin.mig_history IS 'audit'; \
         CREATE TABLE public.spatial_ref_sys (srid int PRIMARY KEY); \
         CREATE TABLE public.keep (id int); \
         CREATE SCHEMA tiger; CREATE TABLE tiger.edges (id int);",
    )
    .await;
    let opts = SnapshotOptions {
        bookkeeping: vec![
            TableRef {
                schema: Some("zero_admin".into()),
                name: "alembic_version".into(),
            },
            TableRef {
                schema: Some("zero_admin".into()),
                name: "mig_history".into(),
            },
        ],
        ignore: ["table public.spatial_*", "schema tiger"]
            .iter()
            .map(|p| IgnorePattern::parse(p).unwrap_or_else(|e| panic!("{e}")))
            .collect(),
        ..SnapshotOptions::default()
    };
    let snapshot = pg.snapshot_with(&opts).await;
    let labels: Vec<String> = snapshot.objects.iter().map(|o| o.label()).collect();
    insta::assert_snapshot!(labels.join("\n"), @r"
    schema public
    schema zero_admin
    table public.keep
    column public.keep.id
    grant on schema public to PUBLIC
    comment on schema public
    ");
}
