//! PostgreSQL catalog snapshots as a whole: a column dropped and re-added differs only in
//! order, snapshots are byte-identical and round-trip through JSON, a snapshot inside a
//! transaction uses a savepoint, and naming conventions are checked against a real
//! catalog. One class of residue at a time: `catalog_pg.rs`.

use mig::catalog::{snapshot_postgres, Kind, Snapshot, SnapshotOptions};
use mig::diff::{diff, DiffOptions};

use crate::catalog_pg::Pg;

#[tokio::test]
async fn dropped_and_re_added_column_differs_only_in_order() {
    let mut pg = Pg::new("cat_column_order").await;
    pg.exec("CREATE TABLE t (a int, b text NOT NULL DEFAULT 'x', c int)")
        .await;
    let before = pg.snapshot().await;
    pg.exec("ALTER TABLE t DROP COLUMN b; ALTER TABLE t ADD COLUMN b text NOT NULL DEFAULT 'x'")
        .await;
    let after = pg.snapshot().await;
    assert!(diff(&before, &after, &DiffOptions::default()).is_empty());
    let with_order = DiffOptions {
        column_order: true,
        ..DiffOptions::default()
    };
    insta::assert_snapshot!(diff(&before, &after, &with_order).to_string(), @r"
    changed column public.t.b
      position: 2 -> 3 (column order)
    changed column public.t.c
      position: 3 -> 2 (column order)
    ");
}

/// Every class of object at once, for determinism and JSON tests.
pub const RICH_SCHEMA: &str = r#"
CREATE EXTENSION pgcrypto;
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.posint AS integer DEFAULT 1 NOT NULL CHECK (VALUE > 0);
CREATE TYPE app.span AS RANGE (subtype = integer);
CREATE TYPE app.pair AS (a integer, b text);
CREATE TABLE app.users (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    mood app.mood,
    n app.posint,
    name text COLLATE "C",
    twice int GENERATED ALWAYS AS (id * 2) STORED,
    CONSTRAINT ck_users__email CHECK (email <> '')
);
CREATE TABLE app.posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id int REFERENCES app.users (id) ON DELETE CASCADE,
    body text DEFAULT 'x'
);
CREATE INDEX ix_posts_user ON app.posts (user_id) WHERE body IS NOT NULL;
CREATE INDEX ix_users_lower ON app.users (lower(email));
CREATE VIEW app.v AS SELECT id, email FROM app.users WHERE id > 1;
CREATE MATERIALIZED VIEW app.mv AS SELECT count(*) AS n FROM app.posts;
CREATE FUNCTION app.f(a integer, b text DEFAULT 'q') RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a $$;
CREATE PROCEDURE app.p() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE AGGREGATE app.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER trg BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY pol ON app.users FOR SELECT USING (id > 0);
COMMENT ON TABLE app.users IS 'the users';
COMMENT ON COLUMN app.users.email IS 'mail';
CREATE TABLE app.m (k int, v text) PARTITION BY RANGE (k);
CREATE TABLE app.m1 PARTITION OF app.m FOR VALUES FROM (0) TO (10);
CREATE INDEX ON app.m (k);
CREATE STATISTICS app.st ON id, email FROM app.users;
CREATE RULE r AS ON UPDATE TO app.posts DO INSTEAD NOTHING;
REVOKE EXECUTE ON FUNCTION app.f(integer, text) FROM PUBLIC;
"#;

#[tokio::test]
async fn snapshots_are_byte_identical_and_round_trip_through_json() {
    let mut pg = Pg::new("cat_deterministic").await;
    pg.exec(RICH_SCHEMA).await;
    let one = pg.snapshot().await;
    let two = pg.snapshot().await;
    assert_eq!(one.to_json(), two.to_json());
    assert_eq!(Snapshot::from_json(&one.to_json()).ok(), Some(one.clone()));
    // Internal parts (range constructors, array and row types, extension members) stay out.
    assert!(one
        .get(Kind::Function, "app.span(integer, integer)")
        .is_none());
    assert!(one
        .of_kind(Kind::Function)
        .all(|f| f.schema.as_deref() == Some("app")));
    let counts: Vec<String> = one
        .counts()
        .iter()
        .map(|(kind, n)| format!("{kind}: {n}"))
        .collect();
    insta::assert_snapshot!(counts.join("\n"), @r"
    schema: 2
    extension: 1
    type: 4
    table: 4
    view: 1
    materialized view: 1
    column: 18
    constraint: 5
    index: 7
    sequence: 2
    function: 2
    procedure: 1
    aggregate: 1
    trigger: 1
    policy: 1
    grant: 2
    comment: 4
    object: 2
    ");
}

#[tokio::test]
async fn snapshot_inside_a_transaction_uses_a_savepoint() {
    use sqlx::Connection;
    let mut pg = Pg::new("cat_in_tx").await;
    pg.exec("CREATE TABLE t (id int)").await;
    let mut tx = pg.conn.begin().await.unwrap_or_else(|e| panic!("{e}"));
    sqlx::raw_sql("CREATE TABLE u (id int)")
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let inside = snapshot_postgres(&mut tx, &SnapshotOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(inside.get(Kind::Table, "public.u").is_some());
    // The caller's transaction goes on after the snapshot's savepoint.
    sqlx::raw_sql("CREATE TABLE w (id int)")
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.rollback().await.unwrap_or_else(|e| panic!("{e}"));
    let outside = pg.snapshot().await;
    assert!(outside.get(Kind::Table, "public.u").is_none());
    assert!(outside.get(Kind::Table, "public.t").is_some());
    // The session's own settings are untouched.
    let search_path: String = sqlx::query_scalar("SHOW search_path")
        .fetch_one(&mut pg.conn)
        .await
        .unwrap_or_default();
    assert_eq!(search_path, r#""$user", public"#);
}

#[tokio::test]
async fn naming_conventions_against_a_real_catalog() {
    let mut pg = Pg::new("cat_naming").await;
    pg.exec(
        "CREATE TABLE parsed_items (id int CONSTRAINT pk_parsed_items PRIMARY KEY); \
         CREATE TABLE chunks ( \
             id int CONSTRAINT pk_chunks PRIMARY KEY, \
             parsed_item_id int, seq_no int, tenant_id int, \
             CONSTRAINT fk_chunks_parsed_item_id_parsed_items FOREIGN KEY (parsed_item_id) \
                 REFERENCES parsed_items (id), \
             CONSTRAINT uq_chunks__seq UNIQUE (parsed_item_id, seq_no), \
             CONSTRAINT ck_chunks__seq_positive CHECK (seq_no > 0)); \
         CREATE INDEX ix_chunks_tenant_id_seq_no ON chunks (tenant_id, seq_no); \
         CREATE TABLE acct (id int PRIMARY KEY, owner int REFERENCES chunks (id), \
             name text UNIQUE CHECK (name <> '')); \
         CREATE INDEX acct_lower_idx ON acct (lower(name));",
    )
    .await;
    let snapshot = pg.snapshot().await;
    let conventions = mig::config::NamingConvention {
        pk: Some("pk_%%(table_name)s".into()),
        fk: Some("fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s".into()),
        uq: Some("uq_%%(table_name)s__%%(constraint_name)s".into()),
        ix: Some("ix_%%(table_name)s_%%(column_0_N_name)s".into()),
        ck: Some("ck_%%(table_name)s__%%(constraint_name)s".into()),
    };
    let violations = mig::naming::check(&snapshot, &conventions).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = violations
        .iter()
        .map(|v| format!("{} {}: {} -> {}", v.kind, v.id, v.name, v.expected))
        .collect();
    insta::assert_snapshot!(lines.join("\n"), @r"
    constraint public.acct.acct_name_check: acct_name_check -> ck_acct__<constraint_name>
    constraint public.acct.acct_name_key: acct_name_key -> uq_acct__<constraint_name>
    constraint public.acct.acct_owner_fkey: acct_owner_fkey -> fk_acct_owner_chunks
    constraint public.acct.acct_pkey: acct_pkey -> pk_acct
    index public.acct_lower_idx: acct_lower_idx -> ix_acct_lower(name)
    ");
}
