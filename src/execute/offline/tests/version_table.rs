//! The version table's name, schema and primary key, names needing quotes, per-migration
//! transactions, and mig's own lines (`CREATE SCHEMA`, `SET search_path`) before
//! Alembic's output.

use super::*;
use crate::revision::fixture::*;

#[tokio::test]
async fn version_table_and_schema_reference_case_30() {
    // From base, mig creates the schema first; the rest is Alembic's text.
    let settings = settings("my_ver", Some("myschema"), true, false);
    assert_like_alembic_after(
        "version_table_schema",
        create_schema("myschema"),
        &settings,
        &foo_bar_upgrade(&foo_bar()),
    )
    .await;
    assert_like_alembic(
        "version_table_schema_downgrade",
        &settings,
        &foo_bar_downgrade(&foo_bar()),
    )
    .await;
}

#[tokio::test]
async fn version_table_without_pk() {
    let settings = settings("alembic_version", None, false, false);
    assert_like_alembic("pk_false", &settings, &foo_bar_upgrade(&foo_bar())).await;
}

#[tokio::test]
async fn transaction_per_migration() {
    let settings = settings("alembic_version", None, true, true);
    assert_like_alembic("per_migration", &settings, &foo_bar_upgrade(&foo_bar())).await;
}

#[tokio::test]
async fn names_needing_quotes() {
    let settings = settings("Ver", Some("order"), true, false);
    let revisions = vec![
        rev("rev1", &[]).sql(
            "first",
            &["CREATE TABLE foo (id INTEGER)"],
            &["DROP TABLE foo"],
        ),
        rev("rev2", &["rev1"]).sql(
            "second",
            &["CREATE TABLE bar (id INTEGER)"],
            &["DROP TABLE bar"],
        ),
    ];
    let s = Steps(&revisions);
    let plan = plan(
        &[],
        vec![
            s.up("rev1", &[], &["rev1"], vec![ins("rev1")]),
            s.up("rev2", &["rev1"], &["rev2"], vec![upd("rev1", "rev2")]),
        ],
        &["rev2"],
    );
    // `CREATE SCHEMA` is mig's own line; Alembic's output follows it unchanged.
    assert_like_alembic_after("quoted_names", create_schema("\"order\""), &settings, &plan).await;
}

// mig's own lines (not in Alembic): `CREATE SCHEMA` when the version table is created,
// `SET search_path` always (PostgreSQL), both before Alembic's first line.
#[tokio::test]
async fn mig_lines_precede_alembic_output() {
    let mut settings = settings("my_ver", Some("myschema"), true, false);
    settings.search_path = Some("myschema, public".into());
    for dialect in DIALECTS {
        let prefix = match dialect {
            Dialect::Postgresql => {
                "CREATE SCHEMA IF NOT EXISTS myschema;\n\nSET search_path TO myschema, public;\n\n"
            }
            Dialect::Mysql => "CREATE SCHEMA IF NOT EXISTS myschema;\n\n",
            Dialect::Sqlite => "",
        };
        let rendered = render(dialect, &settings, &foo_bar_upgrade(&foo_bar())).await;
        assert_eq!(
            rendered,
            format!("{prefix}{}", fixture("version_table_schema", dialect)),
            "{dialect:?}"
        );
    }
}

#[tokio::test]
async fn no_create_schema_when_the_table_exists() {
    let mut settings = settings("my_ver", Some("myschema"), true, false);
    settings.search_path = Some("myschema, public".into());
    let rendered = render(
        Dialect::Postgresql,
        &settings,
        &foo_bar_downgrade(&foo_bar()),
    )
    .await;
    assert_eq!(
        rendered,
        format!(
            "SET search_path TO myschema, public;\n\n{}",
            fixture("version_table_schema_downgrade", Dialect::Postgresql)
        )
    );
}

#[tokio::test]
async fn seed_003_shape() {
    let mut settings = settings("alembic_version", Some("zero_admin"), true, false);
    settings.search_path = Some("zero_admin, public".into());
    let revisions = vec![rev("000000000000_create_zero_admin", &[]).sql(
        "create zero_admin schema",
        &["CREATE SCHEMA IF NOT EXISTS zero_admin"],
        &["DROP SCHEMA zero_admin"],
    )];
    let plan = plan(
        &[],
        vec![Steps(&revisions).up(
            "000000000000_create_zero_admin",
            &[],
            &["000000000000_create_zero_admin"],
            vec![ins("000000000000_create_zero_admin")],
        )],
        &["000000000000_create_zero_admin"],
    );
    let rendered = render(Dialect::Postgresql, &settings, &plan).await;
    insta::assert_snapshot!(rendered, @r"
    CREATE SCHEMA IF NOT EXISTS zero_admin;

    SET search_path TO zero_admin, public;

    BEGIN;

    CREATE TABLE zero_admin.alembic_version (
        version_num VARCHAR(32) NOT NULL, 
        CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
    );

    -- Running upgrade  -> 000000000000_create_zero_admin

    CREATE SCHEMA IF NOT EXISTS zero_admin;

    INSERT INTO zero_admin.alembic_version (version_num) VALUES ('000000000000_create_zero_admin') RETURNING zero_admin.alembic_version.version_num;

    COMMIT;
    ");
}
