use super::*;
use crate::dialect::Dialect;

fn keep(kind: &str, name: &str) -> KeepRule {
    KeepRule::new(&Keep {
        kind: kind.into(),
        name: name.into(),
    })
}

fn table(schema: &str, name: &str) -> Object {
    Object::new(Kind::Table, format!("{schema}.{name}"), name)
        .in_schema(schema)
        .on_table(name)
}

fn part(kind: Kind, schema: &str, table: &str, name: &str) -> Object {
    Object::new(kind, format!("{schema}.{table}.{name}"), name)
        .in_schema(schema)
        .on_table(table)
}

#[test]
fn names_match_with_or_without_schema_quotes_and_case() {
    let function = Object::new(
        Kind::Function,
        "zero_admin.set_updated_at()",
        "set_updated_at",
    )
    .in_schema("zero_admin");
    for name in [
        "zero_admin.set_updated_at()",
        "ZERO_ADMIN.Set_Updated_At()",
        "\"zero_admin\".\"set_updated_at\"()",
        "set_updated_at()",
        "zero_admin.set_updated_at",
        "zero_admin.set_updated_at ( )",
    ] {
        assert!(keep("function", name).matches(&function), "{name}");
    }
    assert!(!keep("function", "other_schema.set_updated_at()").matches(&function));
    assert!(!keep("procedure", "zero_admin.set_updated_at()").matches(&function));
    assert!(!keep("function", "zero_admin.set_updated_at(integer)").matches(&function));
    assert!(!keep("function", "updated_at()").matches(&function));
}

#[test]
fn argument_types_accept_common_aliases() {
    let function = Object::new(
        Kind::Function,
        "public.f(integer, character varying, timestamp with time zone)",
        "f",
    )
    .in_schema("public");
    assert!(keep("function", "public.f(int, varchar, timestamptz)").matches(&function));
    assert!(keep(
        "function",
        "f(int4,character varying,timestamp with time zone)"
    )
    .matches(&function));
    assert!(!keep("function", "f(bigint, varchar, timestamptz)").matches(&function));
}

#[test]
fn quoted_mixed_case_names_stay_exact() {
    let object = table("public", "Users");
    let object = Object {
        id: "public.\"Users\"".into(),
        ..object
    };
    assert!(keep("table", "public.\"Users\"").matches(&object));
    assert!(!keep("table", "public.users").matches(&object));
    assert!(!keep("table", "public.Users").matches(&object));
}

#[test]
fn kind_words_and_aliases() {
    let mood = Object::new(Kind::Type, "public.mood", "mood").in_schema("public");
    assert!(keep("enum", "mood").matches(&mood));
    assert!(keep("type", "public.mood").matches(&mood));
    let view = Object::new(Kind::MaterializedView, "app.totals", "totals").in_schema("app");
    assert!(keep("materialized view", "app.totals").matches(&view));
    let collation = Object::new(Kind::Other, "collation public.de", "public.de");
    assert!(keep("collation", "public.de").matches(&collation));
    assert!(!keep("collation", "de").matches(&collation));
    assert!(keep("extension", "pgcrypto").matches(&Object::new(
        Kind::Extension,
        "pgcrypto",
        "pgcrypto"
    )));
}

#[test]
fn kept_objects_and_their_parts_are_taken_from_after() {
    let before = Snapshot::new(
        Dialect::Postgresql,
        vec![Object::new(Kind::Schema, "app", "app").in_schema("app")],
    );
    let after = Snapshot::new(
        Dialect::Postgresql,
        vec![
            Object::new(Kind::Schema, "app", "app").in_schema("app"),
            Object::new(Kind::Schema, "audit", "audit").in_schema("audit"),
            Object::new(Kind::Comment, "on schema audit", "audit")
                .in_schema("audit")
                .with("text", "kept"),
            table("audit", "log"),
            part(Kind::Column, "audit", "log", "id"),
            part(Kind::Index, "audit", "log", "ix_log_id"),
            Object::new(Kind::Grant, "on table audit.log to PUBLIC", "PUBLIC")
                .in_schema("audit")
                .on_table("log"),
            table("audit", "stray"),
            table("app", "leftover"),
        ],
    );
    let rules = [keep("schema", "audit"), keep("table", "audit.log")];
    let applied = apply(&rules, &before, &after);
    assert!(applied.not_left.is_empty());
    // What the keeps matched themselves, not their parts.
    let kept: Vec<String> = applied.kept.iter().map(|o| o.label()).collect();
    assert_eq!(kept, ["schema audit", "table audit.log"]);
    let findings = crate::diff::diff(
        applied.before.as_ref().unwrap(),
        &after,
        &crate::diff::DiffOptions::default(),
    );
    // The kept schema covers only itself: a table in it that is not kept is residue.
    insta::assert_snapshot!(findings.to_string(), @r"
    extra table app.leftover
    extra table audit.stray
    ");
}

#[test]
fn a_kept_table_that_changed_is_accepted_as_it_is_now() {
    let before = Snapshot::new(
        Dialect::Postgresql,
        vec![table("public", "t"), part(Kind::Column, "public", "t", "a")],
    );
    let after = Snapshot::new(
        Dialect::Postgresql,
        vec![
            table("public", "t").with("row_security", true),
            part(Kind::Column, "public", "t", "b"),
            table("public", "u"),
        ],
    );
    let applied = apply(&[keep("table", "t")], &before, &after);
    let findings = crate::diff::diff(
        applied.before.as_ref().unwrap(),
        &after,
        &crate::diff::DiffOptions::default(),
    );
    insta::assert_snapshot!(findings.to_string(), @"extra table public.u");
}

#[test]
fn a_declared_keep_missing_after_the_downgrade_is_reported() {
    let before = Snapshot::empty(Dialect::Postgresql);
    let after = Snapshot::new(
        Dialect::Postgresql,
        vec![Object::new(Kind::Extension, "pgcrypto", "pgcrypto")],
    );
    let rules = [keep("extension", "pgcrypto"), keep("schema", "zero_admin")];
    let applied = apply(&rules, &before, &after);
    let missing: Vec<String> = applied.not_left.iter().map(ToString::to_string).collect();
    assert_eq!(missing, ["schema zero_admin"]);
}

#[test]
fn no_keeps_change_nothing() {
    let snapshot = Snapshot::new(Dialect::Sqlite, vec![Object::new(Kind::Table, "t", "t")]);
    let applied = apply(&[], &snapshot, &snapshot);
    assert!(applied.before.is_none() && applied.not_left.is_empty());
}
