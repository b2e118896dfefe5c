use super::*;

fn table(schema: &str, name: &str) -> Object {
    Object::new(Kind::Table, format!("{schema}.{name}"), name)
        .in_schema(schema)
        .on_table(name)
}

fn child(kind: Kind, schema: &str, table: &str, name: &str) -> Object {
    Object::new(kind, format!("{schema}.{table}.{name}"), name)
        .in_schema(schema)
        .on_table(table)
}

fn ids(objects: &[Object]) -> Vec<String> {
    objects.iter().map(Object::label).collect()
}

fn options(ignore: &[&str]) -> SnapshotOptions {
    SnapshotOptions {
        ignore: ignore
            .iter()
            .map(|p| IgnorePattern::parse(p).unwrap_or_else(|e| panic!("{e}")))
            .collect(),
        ..SnapshotOptions::default()
    }
}

#[test]
fn ignored_table_takes_its_parts() {
    let objects = vec![
        table("public", "spatial_ref_sys"),
        child(Kind::Column, "public", "spatial_ref_sys", "srid"),
        Object::new(Kind::Comment, "on table public.spatial_ref_sys", "x")
            .in_schema("public")
            .on_table("spatial_ref_sys"),
        table("public", "users"),
        child(Kind::Column, "public", "users", "id"),
    ];
    let kept = options(&["table public.spatial_*"]).retain(objects);
    assert_eq!(ids(&kept), ["table public.users", "column public.users.id"]);
}

#[test]
fn ignored_schema_takes_everything_in_it() {
    let objects = vec![
        Object::new(Kind::Schema, "tiger", "tiger").in_schema("tiger"),
        table("tiger", "edges"),
        Object::new(Kind::Function, "tiger.f()", "f").in_schema("tiger"),
        table("public", "t"),
    ];
    let kept = options(&["schema tiger"]).retain(objects);
    assert_eq!(ids(&kept), ["table public.t"]);
}

#[test]
fn comments_and_grants_follow_their_object() {
    let objects = vec![
        Object::new(Kind::Extension, "postgis", "postgis"),
        Object::new(Kind::Comment, "on extension postgis", "postgis"),
        Object::new(
            Kind::Grant,
            "on function public.f(integer) to PUBLIC",
            "PUBLIC",
        ),
        Object::new(Kind::Extension, "pgcrypto", "pgcrypto"),
    ];
    let kept = options(&["extension postgis", "function public.f(*)"]).retain(objects);
    assert_eq!(ids(&kept), ["extension pgcrypto"]);
}

#[test]
fn bookkeeping_tables_go_with_their_parts() {
    let opts = SnapshotOptions {
        bookkeeping: vec![
            TableRef {
                schema: Some("zero_admin".into()),
                name: "alembic_version".into(),
            },
            TableRef {
                schema: None,
                name: "mig_history".into(),
            },
        ],
        ..SnapshotOptions::default()
    };
    let objects = vec![
        table("zero_admin", "alembic_version"),
        child(Kind::Constraint, "zero_admin", "alembic_version", "pkc"),
        table("public", "alembic_version"),
        table("other", "mig_history"),
        Object::new(
            Kind::Sequence,
            "other.mig_history_id_seq",
            "mig_history_id_seq",
        )
        .in_schema("other")
        .on_table("mig_history"),
    ];
    assert_eq!(ids(&opts.retain(objects)), ["table public.alembic_version"]);
}

#[test]
fn pattern_syntax() {
    let p = IgnorePattern::parse("materialized view app.mv_?").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (p.kind, p.pattern.as_str()),
        (Kind::MaterializedView, "app.mv_?")
    );
    let mv = |id: &str| Object::new(Kind::MaterializedView, id, "");
    assert!(p.matches(&mv("app.mv_1")));
    assert!(!p.matches(&mv("app.mv_12")));
    assert!(!p.matches(&mv("appxmv_1")), "`.` is literal");
    let q = IgnorePattern::parse("materialized_view app.*").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(q.kind, Kind::MaterializedView);
    let e = IgnorePattern::parse("  event trigger  audit_* ").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (e.kind, e.pattern.as_str()),
        (Kind::EventTrigger, "audit_*")
    );
}

#[test]
fn pattern_errors() {
    let message = |text: &str| IgnorePattern::parse(text).err().map(|e| e.to_string());
    assert_eq!(
        message("table").as_deref(),
        Some(
            "invalid `ignore` pattern `table`: expected a kind and a pattern, such as \
             `table public.tmp_*`"
        )
    );
    let unknown = message("tables public.x").unwrap_or_default();
    assert!(
        unknown.starts_with(
            "invalid `ignore` pattern `tables public.x`: unknown kind `tables`; expected \
             one of `schema`, `extension`,"
        ),
        "{unknown}"
    );
}

#[test]
fn from_config_names_the_bookkeeping_tables() {
    let mut config = Config::with_defaults("/tmp/alembic.ini")
        .with_setting("ignore", "table public.spatial_ref_sys");
    config.exec.version_table.schema = Some("zero_admin".into());
    let opts = SnapshotOptions::from_config(&config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opts.bookkeeping,
        [
            TableRef {
                schema: Some("zero_admin".into()),
                name: "alembic_version".into()
            },
            TableRef {
                schema: Some("zero_admin".into()),
                name: "mig_history".into()
            },
            TableRef {
                schema: Some("zero_admin".into()),
                name: "mig_seed".into()
            },
            TableRef {
                schema: Some("zero_admin".into()),
                name: "mig_environment".into()
            }
        ]
    );
    assert_eq!(opts.ignore.len(), 1);
    config.exec.history_table = None;
    let config = config.with_setting("ignore", "nonsense");
    assert!(SnapshotOptions::from_config(&config).is_err());
}
