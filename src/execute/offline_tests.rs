//! The offline renderer against real Alembic: every expected text is a file written by
//! `tests/fixtures/alembic/regen.py` from `alembic ... --sql` (Alembic 1.20.1). The plans
//! are built by hand here, as the revision graph would compute them for the case's
//! command.

use std::path::Path;

use crate::config::{ExecSettings, VersionTable};
use crate::dialect::Dialect;
use crate::revision::plan::Plan;
use crate::revision::Revision;

use super::render_offline;
use super::test_support::*;

const DIALECTS: [Dialect; 3] = [Dialect::Postgresql, Dialect::Sqlite, Dialect::Mysql];

fn fixture(case: &str, dialect: Dialect) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/alembic")
        .join(case)
        .join(format!("{}.sql", dialect.name()));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture `{}`: {e}", path.display()))
}

async fn render(
    dialect: Dialect,
    settings: &ExecSettings,
    plan: &Plan,
    revisions: &[Revision],
) -> String {
    render_offline(dialect, settings, plan, revisions)
        .unwrap_or_else(|e| panic!("rendering failed: {e}"))
}

/// Renders `plan` for every dialect and compares with Alembic's output for `case`.
async fn assert_like_alembic(
    case: &str,
    settings: &ExecSettings,
    plan: &Plan,
    revisions: &[Revision],
) {
    assert_like_alembic_after(case, |_| String::new(), settings, plan, revisions).await;
}

/// Like [`assert_like_alembic`], with mig's own lines (`prefix` per dialect) before
/// Alembic's output.
async fn assert_like_alembic_after(
    case: &str,
    prefix: impl Fn(Dialect) -> String,
    settings: &ExecSettings,
    plan: &Plan,
    revisions: &[Revision],
) {
    for dialect in DIALECTS {
        let rendered = render(dialect, settings, plan, revisions).await;
        assert_eq!(
            rendered,
            format!("{}{}", prefix(dialect), fixture(case, dialect)),
            "`{case}` on {} differs from Alembic",
            dialect.name()
        );
    }
}

/// `CREATE SCHEMA IF NOT EXISTS <schema>;` where mig renders it (not SQLite).
fn create_schema(quoted: &'static str) -> impl Fn(Dialect) -> String {
    move |dialect| match dialect {
        Dialect::Sqlite => String::new(),
        _ => format!(
            "CREATE SCHEMA IF NOT EXISTS {};\n\n",
            quoted.replace(
                '"',
                match dialect {
                    Dialect::Mysql => "`",
                    _ => "\"",
                }
            )
        ),
    }
}

fn settings(table: &str, schema: Option<&str>, pk: bool, per_migration: bool) -> ExecSettings {
    ExecSettings {
        version_table: VersionTable {
            table: table.into(),
            schema: schema.map(Into::into),
            pk,
        },
        transaction_per_migration: per_migration,
        ..ExecSettings::default()
    }
}

fn linear_downgrade() -> Plan {
    plan(
        &["bbb222"],
        vec![
            down(
                "bbb222",
                &["bbb222"],
                &["aaa111"],
                vec![upd("bbb222", "aaa111")],
            ),
            down("aaa111", &["aaa111"], &[], vec![del("aaa111")]),
        ],
        &[],
    )
}

#[tokio::test]
async fn linear_upgrade_from_base() {
    assert_like_alembic(
        "linear_upgrade",
        &ExecSettings::default(),
        &linear_upgrade(),
        &linear(),
    )
    .await;
}

#[tokio::test]
async fn linear_upgrade_matches_reference_section_2() {
    let rendered = render(
        Dialect::Postgresql,
        &ExecSettings::default(),
        &linear_upgrade(),
        &linear(),
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
        &linear_downgrade(),
        &linear(),
    )
    .await;
}

#[tokio::test]
async fn upgrade_not_from_base_creates_no_table() {
    let plan = plan(
        &["aaa111"],
        vec![up(
            "bbb222",
            &["aaa111"],
            &["bbb222"],
            vec![upd("aaa111", "bbb222")],
        )],
        &["bbb222"],
    );
    assert_like_alembic("linear_partial", &ExecSettings::default(), &plan, &linear()).await;
}

#[tokio::test]
async fn empty_plan() {
    let plan = plan(&["bbb222"], vec![], &["bbb222"]);
    assert_like_alembic("nothing_to_do", &ExecSettings::default(), &plan, &linear()).await;
}

fn merge_graph() -> Vec<Revision> {
    vec![
        rev(
            "a",
            &[],
            "a",
            &["CREATE TABLE t_a (id INTEGER)"],
            &["DROP TABLE t_a"],
        ),
        rev(
            "b1",
            &["a"],
            "b1",
            &["CREATE TABLE t_b1 (id INTEGER)"],
            &["DROP TABLE t_b1"],
        ),
        rev(
            "c1",
            &["a"],
            "c1",
            &["CREATE TABLE t_c1 (id INTEGER)"],
            &["DROP TABLE t_c1"],
        ),
        rev("m", &["b1", "c1"], "merge b1 and c1", &[], &[]),
    ]
}

#[tokio::test]
async fn merge_upgrade_reference_case_14() {
    let plan = plan(
        &[],
        vec![
            up("a", &[], &["a"], vec![ins("a")]),
            up("c1", &["a"], &["c1"], vec![upd("a", "c1")]),
            up("b1", &["a"], &["b1"], vec![ins("b1")]),
            up("m", &["b1", "c1"], &["m"], vec![del("b1"), upd("c1", "m")]),
        ],
        &["m"],
    );
    assert_like_alembic(
        "merge_upgrade",
        &ExecSettings::default(),
        &plan,
        &merge_graph(),
    )
    .await;
}

#[tokio::test]
async fn merge_downgrade_renders_several_targets() {
    let plan = plan(
        &["m"],
        vec![
            down("m", &["m"], &["b1", "c1"], vec![ins("c1"), upd("m", "b1")]),
            down("b1", &["b1"], &["a"], vec![del("b1")]),
            down("c1", &["c1"], &["a"], vec![upd("c1", "a")]),
        ],
        &["a"],
    );
    assert_like_alembic(
        "merge_downgrade",
        &ExecSettings::default(),
        &plan,
        &merge_graph(),
    )
    .await;
}

#[tokio::test]
async fn stamp_from_base_creates_the_table() {
    let plan = plan(
        &[],
        vec![stamp(&[], &["bbb222"], vec![ins("bbb222")])],
        &["bbb222"],
    );
    assert_like_alembic("stamp_head", &ExecSettings::default(), &plan, &linear()).await;
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
    assert_like_alembic("stamp_range", &ExecSettings::default(), &plan, &linear()).await;
}

#[tokio::test]
async fn stamp_to_base() {
    let plan = plan(
        &["bbb222"],
        vec![stamp(&["bbb222"], &[], vec![del("bbb222")])],
        &[],
    );
    assert_like_alembic("stamp_base", &ExecSettings::default(), &plan, &linear()).await;
}

#[tokio::test]
async fn version_table_and_schema_reference_case_30() {
    // From base, mig creates the schema first; the rest is Alembic's text.
    let settings = settings("my_ver", Some("myschema"), true, false);
    assert_like_alembic_after(
        "version_table_schema",
        create_schema("myschema"),
        &settings,
        &linear_upgrade(),
        &linear(),
    )
    .await;
    assert_like_alembic(
        "version_table_schema_downgrade",
        &settings,
        &linear_downgrade(),
        &linear(),
    )
    .await;
}

#[tokio::test]
async fn version_table_without_pk() {
    let settings = settings("alembic_version", None, false, false);
    assert_like_alembic("pk_false", &settings, &linear_upgrade(), &linear()).await;
}

#[tokio::test]
async fn transaction_per_migration() {
    let settings = settings("alembic_version", None, true, true);
    assert_like_alembic("per_migration", &settings, &linear_upgrade(), &linear()).await;
}

#[tokio::test]
async fn names_needing_quotes() {
    let settings = settings("Ver", Some("order"), true, false);
    let revisions = vec![
        rev(
            "rev1",
            &[],
            "first",
            &["CREATE TABLE foo (id INTEGER)"],
            &["DROP TABLE foo"],
        ),
        rev(
            "rev2",
            &["rev1"],
            "second",
            &["CREATE TABLE bar (id INTEGER)"],
            &["DROP TABLE bar"],
        ),
    ];
    let plan = plan(
        &[],
        vec![
            up("rev1", &[], &["rev1"], vec![ins("rev1")]),
            up("rev2", &["rev1"], &["rev2"], vec![upd("rev1", "rev2")]),
        ],
        &["rev2"],
    );
    // `CREATE SCHEMA` is mig's own line; Alembic's output follows it unchanged.
    assert_like_alembic_after(
        "quoted_names",
        create_schema("\"order\""),
        &settings,
        &plan,
        &revisions,
    )
    .await;
}

#[tokio::test]
async fn tabs_and_comments_in_bodies_are_formatted_like_alembic() {
    let revisions = vec![rev(
        "aaa111",
        &[],
        "tabs and comments",
        &[
            "-- the main table\nCREATE TABLE foo (\n\tid INTEGER PRIMARY KEY,\n\tname VARCHAR(20)\n)",
            "INSERT INTO foo (id, name) VALUES (1, 'it''s 100%')",
        ],
        &["DROP TABLE foo"],
    )];
    let plan = plan(
        &[],
        vec![up("aaa111", &[], &["aaa111"], vec![ins("aaa111")])],
        &["aaa111"],
    );
    assert_like_alembic("formatting", &ExecSettings::default(), &plan, &revisions).await;
}

fn autocommit_revisions() -> Vec<Revision> {
    vec![
        rev(
            "aaa111",
            &[],
            "create foo",
            &["CREATE TABLE foo (id INTEGER PRIMARY KEY, bar TEXT)"],
            &["DROP TABLE foo"],
        ),
        outside_transaction(rev(
            "bbb222",
            &["aaa111"],
            "index concurrently",
            &[
                "CREATE INDEX CONCURRENTLY ix_foo_bar ON foo (bar)",
                "CREATE INDEX CONCURRENTLY ix_foo_id ON foo (id)",
            ],
            &[
                "DROP INDEX CONCURRENTLY ix_foo_id",
                "DROP INDEX CONCURRENTLY ix_foo_bar",
            ],
        )),
        rev(
            "ccc333",
            &["bbb222"],
            "add baz",
            &["ALTER TABLE foo ADD COLUMN baz INTEGER"],
            &["ALTER TABLE foo DROP COLUMN baz"],
        ),
    ]
}

fn autocommit_upgrade() -> Plan {
    plan(
        &[],
        vec![
            up("aaa111", &[], &["aaa111"], vec![ins("aaa111")]),
            up(
                "bbb222",
                &["aaa111"],
                &["bbb222"],
                vec![upd("aaa111", "bbb222")],
            ),
            up(
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
        &autocommit_upgrade(),
        &autocommit_revisions(),
    )
    .await;
}

#[tokio::test]
async fn transaction_none_downgrade() {
    let plan = plan(
        &["ccc333"],
        vec![
            down(
                "ccc333",
                &["ccc333"],
                &["bbb222"],
                vec![upd("ccc333", "bbb222")],
            ),
            down(
                "bbb222",
                &["bbb222"],
                &["aaa111"],
                vec![upd("bbb222", "aaa111")],
            ),
            down("aaa111", &["aaa111"], &[], vec![del("aaa111")]),
        ],
        &[],
    );
    assert_like_alembic(
        "autocommit_downgrade",
        &ExecSettings::default(),
        &plan,
        &autocommit_revisions(),
    )
    .await;
}

#[tokio::test]
async fn transaction_none_with_transaction_per_migration() {
    let settings = settings("alembic_version", None, true, true);
    assert_like_alembic(
        "autocommit_per_migration",
        &settings,
        &autocommit_upgrade(),
        &autocommit_revisions(),
    )
    .await;
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
        let rendered = render(dialect, &settings, &linear_upgrade(), &linear()).await;
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
        &linear_downgrade(),
        &linear(),
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
    let revisions = vec![rev(
        "000000000000_create_zero_admin",
        &[],
        "create zero_admin schema",
        &["CREATE SCHEMA IF NOT EXISTS zero_admin"],
        &["DROP SCHEMA zero_admin"],
    )];
    let plan = plan(
        &[],
        vec![up(
            "000000000000_create_zero_admin",
            &[],
            &["000000000000_create_zero_admin"],
            vec![ins("000000000000_create_zero_admin")],
        )],
        &["000000000000_create_zero_admin"],
    );
    let rendered = render(Dialect::Postgresql, &settings, &plan, &revisions).await;
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
