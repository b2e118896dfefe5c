//! The catalog fingerprint decides whether a full snapshot is needed, so it must change
//! whenever the snapshot does: every object class of the snapshot, one change at a time,
//! changes both; the same schema built twice (other OIDs) gives equal fingerprints.

use mig::catalog::{fingerprint_postgres, Fingerprint};

use crate::catalog_pg::Pg;

async fn both(pg: &mut Pg) -> (Fingerprint, mig::catalog::Snapshot) {
    let fingerprint = fingerprint_postgres(&mut pg.conn)
        .await
        .unwrap_or_else(|e| panic!("fingerprint: {e}"));
    (fingerprint, pg.snapshot().await)
}

/// One change per object class the snapshot reads.
const CHANGES: &[&str] = &[
    "CREATE SCHEMA app",
    "CREATE TYPE app.mood AS ENUM ('sad', 'ok')",
    "ALTER TYPE app.mood ADD VALUE 'happy'",
    "CREATE DOMAIN app.pos AS int CHECK (VALUE > 0)",
    "CREATE TABLE app.t (id int PRIMARY KEY, name text, m app.mood)",
    "ALTER TABLE app.t ADD COLUMN n int",
    "ALTER TABLE app.t ALTER COLUMN name SET DEFAULT 'x'",
    "ALTER TABLE app.t ALTER COLUMN name SET NOT NULL",
    "ALTER TABLE app.t ADD CONSTRAINT ck_n CHECK (n > 0)",
    "CREATE TABLE app.u (id int REFERENCES app.t (id))",
    "CREATE INDEX ix_t_name ON app.t (name)",
    "CREATE SEQUENCE app.s",
    "ALTER SEQUENCE app.s INCREMENT 2",
    "CREATE FUNCTION app.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
    "CREATE OR REPLACE FUNCTION app.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$",
    "CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.f()",
    "ALTER TABLE app.t DISABLE TRIGGER tr",
    "CREATE VIEW app.v AS SELECT id FROM app.t",
    "CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.t",
    "ALTER TABLE app.t ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY p ON app.t USING (id > 0)",
    "GRANT SELECT ON app.t TO PUBLIC",
    "GRANT USAGE ON SCHEMA app TO PUBLIC",
    "COMMENT ON TABLE app.t IS 'hi'",
    "COMMENT ON COLUMN app.t.name IS 'name'",
    "CREATE PROCEDURE app.pr() LANGUAGE sql AS $$SELECT 1$$",
    "CREATE AGGREGATE app.agg (int) (sfunc = int4pl, stype = int)",
    "CREATE COLLATION app.c (provider = libc, locale = 'C')",
    "ALTER TABLE app.t DROP COLUMN n",
];

#[tokio::test]
async fn every_object_class_changes_the_fingerprint_and_equal_schemas_agree() {
    let mut pg = Pg::new("fingerprint_classes").await;
    let mut twin = Pg::new("fingerprint_twin").await;
    let (mut fingerprint, mut snapshot) = both(&mut pg).await;
    for change in CHANGES {
        pg.exec(change).await;
        twin.exec(change).await;
        let (now_fp, now_snapshot) = both(&mut pg).await;
        assert_ne!(
            now_snapshot, snapshot,
            "`{change}` did not change the snapshot"
        );
        assert_ne!(
            now_fp, fingerprint,
            "`{change}` did not change the fingerprint"
        );
        let (twin_fp, _) = both(&mut twin).await;
        assert_eq!(twin_fp, now_fp, "after `{change}` the twin differs");
        (fingerprint, snapshot) = (now_fp, now_snapshot);
    }
    // A table dropped and created again: new OIDs, same fingerprint.
    pg.exec("DROP TABLE app.u; CREATE TABLE app.u (id int REFERENCES app.t (id))")
        .await;
    assert_eq!(both(&mut pg).await.0, fingerprint);
}
