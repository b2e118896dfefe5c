use super::*;

fn snapshot() -> Snapshot {
    Snapshot::new(
        Dialect::Postgresql,
        vec![
            Object::new(Kind::Schema, "zero_admin", "zero_admin"),
            Object::new(Kind::Schema, "app", "app"),
            Object::new(Kind::Schema, "public", "public"),
            Object::new(Kind::Extension, "pgcrypto", "pgcrypto"),
            Object::new(Kind::Table, "zero_admin.items", "items").in_schema("zero_admin"),
            Object::new(Kind::View, "app.v", "v").in_schema("app"),
            Object::new(Kind::Sequence, "zero_admin.items_id_seq", "items_id_seq")
                .in_schema("zero_admin")
                .with("owned_by", "zero_admin.items.id"),
            Object::new(Kind::Sequence, "app.counter", "counter").in_schema("app"),
            Object::new(Kind::Function, "zero_admin.f()", "f").in_schema("zero_admin"),
            Object::new(Kind::Type, "app.email", "email")
                .in_schema("app")
                .with("type", "domain"),
        ],
    )
}

#[test]
fn rebuild_drops_what_the_revisions_own_in_order() {
    let keeps = vec![Keep {
        kind: "schema".into(),
        name: "zero_admin".into(),
    }];
    let bookkeeping = Bookkeeping {
        schema: Some("zero_admin".into()),
        tables: vec!["alembic_version".into(), "mig_history".into()],
    };
    let statements: Vec<String> = drops(&snapshot(), &keeps, &bookkeeping)
        .into_iter()
        .map(|d| d.statement)
        .collect();
    assert_eq!(
        statements,
        [
            "DROP VIEW IF EXISTS app.v CASCADE",
            "DROP TABLE IF EXISTS zero_admin.alembic_version CASCADE",
            "DROP TABLE IF EXISTS zero_admin.mig_history CASCADE",
            "DROP TABLE IF EXISTS zero_admin.items CASCADE",
            "DROP SEQUENCE IF EXISTS app.counter CASCADE",
            "DROP FUNCTION IF EXISTS zero_admin.f() CASCADE",
            "DROP DOMAIN IF EXISTS app.email CASCADE",
            "DROP SCHEMA IF EXISTS app CASCADE",
        ]
    );
}
