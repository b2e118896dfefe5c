//! PostgreSQL catalog snapshots and diffs: for each class of residue, state A, a change,
//! state B, and the finding that names the object; and the cases that must find nothing.
//! Snapshots as a whole: `catalog_pg_snapshot.rs`.

use mig::catalog::{snapshot_postgres, Kind, Snapshot, SnapshotOptions, Value};
use mig::diff::{diff, DiffOptions};
use sqlx::PgConnection;

use crate::support;

/// A test database with one open connection (closed before the database is dropped).
pub struct Pg {
    pub conn: PgConnection,
    _db: support::PgDb,
}

impl Pg {
    pub async fn new(test: &str) -> Pg {
        let db = support::pg_db(test);
        let conn = crate::support::connect_pg(db.url())
            .await
            .unwrap_or_else(|e| panic!("connect to `{}`: {e}", db.name()));
        Pg { conn, _db: db }
    }

    pub async fn exec(&mut self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut self.conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub async fn snapshot_with(&mut self, opts: &SnapshotOptions) -> Snapshot {
        snapshot_postgres(&mut self.conn, opts)
            .await
            .unwrap_or_else(|e| panic!("snapshot: {e}"))
    }

    pub async fn snapshot(&mut self) -> Snapshot {
        self.snapshot_with(&SnapshotOptions::default()).await
    }
}

/// Runs `setup`, snapshots (A), runs `change`, snapshots (B): the rendered diff A -> B.
async fn residue(test: &str, setup: &str, change: &str) -> String {
    let mut pg = Pg::new(test).await;
    if !setup.is_empty() {
        pg.exec(setup).await;
    }
    let before = pg.snapshot().await;
    pg.exec(change).await;
    let after = pg.snapshot().await;
    diff(&before, &after, &DiffOptions::default()).to_string()
}

/// A role for grant tests. Roles are cluster-wide and tests run in parallel.
const READER: &str = "DO $$ BEGIN CREATE ROLE mig_catalog_reader; \
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;";

#[tokio::test]
async fn table() {
    let found = residue(
        "cat_table",
        "",
        "CREATE TABLE t (id int PRIMARY KEY, name text)",
    )
    .await;
    insta::assert_snapshot!(found, @"extra table public.t");
}

#[tokio::test]
async fn column() {
    let found = residue(
        "cat_column",
        "CREATE TABLE t (id int)",
        "ALTER TABLE t ADD COLUMN note text",
    )
    .await;
    insta::assert_snapshot!(found, @"extra column public.t.note");
}

#[tokio::test]
async fn index() {
    let found = residue(
        "cat_index",
        "CREATE TABLE t (id int)",
        "CREATE INDEX ix_t_id ON t (id)",
    )
    .await;
    insta::assert_snapshot!(found, @"extra index public.ix_t_id");
}

#[tokio::test]
async fn unique_and_check_constraints() {
    let found = residue(
        "cat_uq_ck",
        "CREATE TABLE t (id int)",
        "ALTER TABLE t ADD CONSTRAINT uq_t__id UNIQUE (id); \
         ALTER TABLE t ADD CONSTRAINT ck_t__positive CHECK (id > 0)",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra constraint public.t.ck_t__positive
    extra constraint public.t.uq_t__id
    extra index public.uq_t__id
    ");
}

#[tokio::test]
async fn foreign_key() {
    let found = residue(
        "cat_fk",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int)",
        "ALTER TABLE c ADD CONSTRAINT fk_c_p_id_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE",
    )
    .await;
    insta::assert_snapshot!(found, @"extra constraint public.c.fk_c_p_id_p");
}

#[tokio::test]
async fn not_null_and_default_changes() {
    let found = residue(
        "cat_not_null",
        "CREATE TABLE t (id int, status text DEFAULT 'new')",
        "ALTER TABLE t ALTER COLUMN id SET NOT NULL; \
         ALTER TABLE t ALTER COLUMN status SET DEFAULT 'open'",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    changed column public.t.id
      not_null: false -> true
    changed column public.t.status
      default: 'new'::text -> 'open'::text
    ");
}

#[tokio::test]
async fn serial_sequence() {
    let found = residue(
        "cat_serial",
        "CREATE TABLE t (id int)",
        "ALTER TABLE t ADD COLUMN n serial",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra column public.t.n
    extra sequence public.t_n_seq
    ");
    // A leftover sequence makes the re-created serial use `..._seq1`.
    let found = residue(
        "cat_serial_seq1",
        "CREATE TABLE t (id serial)",
        "ALTER TABLE t ALTER COLUMN id DROP DEFAULT; ALTER SEQUENCE t_id_seq OWNED BY NONE; \
         DROP TABLE t; CREATE TABLE t (id serial)",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra sequence public.t_id_seq1
    changed column public.t.id
      default: nextval('public.t_id_seq'::regclass) -> nextval('public.t_id_seq1'::regclass)
    changed sequence public.t_id_seq
      owned_by: public.t.id -> (none)
    ");
}

#[tokio::test]
async fn function_body() {
    let found = residue(
        "cat_function",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
        "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    changed function public.f()
      definition:
        --- before
        +++ after
        @@ -1,4 +1,4 @@
         CREATE OR REPLACE FUNCTION public.f()
          RETURNS integer
          LANGUAGE sql
        -AS $function$ SELECT 1 $function$
        +AS $function$ SELECT 2 $function$
    ");
}

#[tokio::test]
async fn trigger_and_its_enabled_state() {
    let setup = "CREATE TABLE t (id int); \
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$";
    let found = residue(
        "cat_trigger",
        setup,
        "CREATE TRIGGER trg_t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()",
    )
    .await;
    insta::assert_snapshot!(found, @"extra trigger public.t.trg_t_touch");
    let found = residue(
        "cat_trigger_disabled",
        &format!(
            "{setup}; CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()"
        ),
        "ALTER TABLE t DISABLE TRIGGER trg",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    changed trigger public.t.trg
      enabled: origin -> disabled
    ");
}

#[tokio::test]
async fn enum_type_and_added_label() {
    let found = residue("cat_enum", "", "CREATE TYPE mood AS ENUM ('sad', 'ok')").await;
    insta::assert_snapshot!(found, @"extra type public.mood");
    let found = residue(
        "cat_enum_label",
        "CREATE TYPE mood AS ENUM ('sad', 'ok')",
        "ALTER TYPE mood ADD VALUE 'happy'; ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    changed type public.mood
      labels: [sad, ok] -> [sad, meh, ok, happy]
    ");
}

#[tokio::test]
async fn view_and_materialized_view() {
    let found = residue(
        "cat_views",
        "CREATE TABLE t (id int, name text); CREATE VIEW v AS SELECT id FROM t",
        "CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t; \
         CREATE OR REPLACE VIEW v AS SELECT id, name FROM t",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra materialized view public.mv
    extra column public.v.name
    changed view public.v
      definition:
        --- before
        +++ after
        @@ -1,2 +1,3 @@
        - SELECT t.id
        + SELECT t.id,
        +    t.name
            FROM public.t;
    ");
}

#[tokio::test]
async fn extension_without_its_members() {
    let found = residue("cat_extension", "", "CREATE EXTENSION pg_trgm").await;
    insta::assert_snapshot!(found, @"extra extension pg_trgm");
    // Objects of the extension (functions, operators, types) are not listed separately.
    let mut pg = Pg::new("cat_extension_members").await;
    pg.exec("CREATE EXTENSION pgcrypto").await;
    let snapshot = pg.snapshot().await;
    let labels: Vec<String> = snapshot.objects.iter().map(|o| o.label()).collect();
    assert_eq!(
        labels,
        [
            "schema public",
            "extension pgcrypto",
            "grant on schema public to PUBLIC",
            "comment on extension pgcrypto",
            "comment on schema public",
        ]
    );
}

#[tokio::test]
async fn schema() {
    let found = residue(
        "cat_schema",
        "",
        "CREATE SCHEMA app; CREATE TABLE app.t (id int)",
    )
    .await;
    insta::assert_snapshot!(found, @"extra schema app");
}

#[tokio::test]
async fn comments() {
    let found = residue(
        "cat_comment",
        "CREATE TABLE t (id int); COMMENT ON COLUMN t.id IS 'key'",
        "COMMENT ON TABLE t IS 'things'; COMMENT ON COLUMN t.id IS 'the key'",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra comment on table public.t
    changed comment on column public.t.id
      text: key -> the key
    "); // A comment goes with its object: a dropped function is one finding.
    let found = residue(
        "cat_comment_function",
        "CREATE FUNCTION f(a int, b text) RETURNS int LANGUAGE sql AS $$ SELECT a $$; \
         COMMENT ON FUNCTION f(int, text) IS 'adds'",
        "DROP FUNCTION f(int, text)",
    )
    .await;
    insta::assert_snapshot!(found, @"missing function public.f(integer, text)");
}

#[tokio::test]
async fn grants_compared_against_defaults() {
    let setup = format!("{READER} CREATE TABLE t (id int)");
    let found = residue(
        "cat_grant",
        &setup,
        "GRANT SELECT ON t TO mig_catalog_reader",
    )
    .await;
    insta::assert_snapshot!(found, @"extra grant on table public.t to mig_catalog_reader");
    // GRANT then REVOKE leaves an explicit ACL equal to the default: nothing to report.
    let found = residue(
        "cat_grant_revoke",
        &setup,
        "GRANT SELECT ON t TO mig_catalog_reader; REVOKE SELECT ON t FROM mig_catalog_reader",
    )
    .await;
    assert_eq!(found, "");
    // Revoking a default privilege is a finding too.
    let found = residue(
        "cat_grant_default",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
        "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC",
    )
    .await;
    insta::assert_snapshot!(found, @"extra grant on function public.f() to PUBLIC");
}

#[tokio::test]
async fn row_level_security() {
    let found = residue(
        "cat_rls",
        "CREATE TABLE t (id int)",
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY; \
         CREATE POLICY p_t_read ON t FOR SELECT USING (id > 0)",
    )
    .await;
    insta::assert_snapshot!(found, @r"
    extra policy public.t.p_t_read
    changed table public.t
      row_security: false -> true
    ");
}

#[tokio::test]
async fn constraint_renamed_by_collision() {
    // A downgrade that forgot the auto-named check: the re-upgrade adds `..._check1`.
    let found = residue(
        "cat_check1",
        "CREATE TABLE acct (name text); ALTER TABLE acct ADD CHECK (name <> '')",
        "ALTER TABLE acct ADD CHECK (name <> '')",
    )
    .await;
    insta::assert_snapshot!(found, @"extra constraint public.acct.acct_name_check1");
}

#[tokio::test]
async fn invalid_index_from_a_failed_concurrent_build() {
    let mut pg = Pg::new("cat_invalid_index").await;
    pg.exec("CREATE TABLE d (x int); INSERT INTO d VALUES (1), (1)")
        .await;
    let before = pg.snapshot().await;
    let failed = sqlx::raw_sql("CREATE UNIQUE INDEX CONCURRENTLY ix_d_x ON d (x)")
        .execute(&mut pg.conn)
        .await;
    assert!(failed.is_err(), "duplicates must make the build fail");
    let after = pg.snapshot().await;
    let index = after.get(Kind::Index, "public.ix_d_x");
    assert_eq!(
        index.and_then(|i| i.attr("valid")),
        Some(&Value::Bool(false))
    );
    let found = diff(&before, &after, &DiffOptions::default()).to_string();
    insta::assert_snapshot!(found, @"extra index public.ix_d_x");
}
