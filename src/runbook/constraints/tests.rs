use super::*;
use crate::dialect::Dialect;

fn demo() -> Snapshot {
    let c = |table: &str, name: &str| {
        Object::new(Kind::Constraint, format!("app.{table}.{name}"), name)
            .in_schema("app")
            .on_table(table)
    };
    Snapshot::new(
        Dialect::Postgresql,
        vec![
            c("items", "pk_items")
                .with("type", "primary key")
                .with("columns", vec!["id".to_string()]),
            c("parts", "fk_parts_item_id_items")
                .with("type", "foreign key")
                .with("columns", vec!["item_id".to_string()])
                .with("referred_schema", "app")
                .with("referred_table", "items")
                .with("referred_columns", vec!["id".to_string()])
                .with(
                    "definition",
                    "FOREIGN KEY (item_id) REFERENCES app.items(id) ON DELETE CASCADE",
                ),
            c("items", "items_code_key")
                .with("type", "unique")
                .with("columns", vec!["code".to_string()]),
            c("items", "ck_items__state")
                .with("type", "check")
                .with("definition", "CHECK (state > 0)"),
            Object::new(Kind::Index, "app.items_code_key", "items_code_key")
                .in_schema("app")
                .on_table("items")
                .with("unique", true)
                .with("constraint", "items_code_key"),
            Object::new(Kind::Index, "app.ux_items_name", "ux_items_name")
                .in_schema("app")
                .on_table("items")
                .with("unique", true)
                .with("columns", vec!["name".to_string()]),
        ],
    )
}

#[test]
fn lists_keys_rules_and_judges_names() {
    let conventions = NamingConvention {
        pk: Some("pk_%(table_name)s".into()),
        uq: Some("uq_%(table_name)s__%(constraint_name)s".into()),
        ..Default::default()
    };
    let found = constraints(&demo(), &conventions).unwrap();
    assert_eq!(
        found.foreign_keys,
        [ForeignKey {
            name: "fk_parts_item_id_items".into(),
            table: "app.parts".into(),
            columns: vec!["item_id".into()],
            referred_table: "app.items".into(),
            referred_columns: vec!["id".into()],
            on_delete: "CASCADE".into(),
        }]
    );
    let unique: Vec<_> = found
        .unique_keys
        .iter()
        .map(|k| format!("{} {} {:?} {}", k.table, k.name, k.columns, k.via))
        .collect();
    assert_eq!(
        unique,
        [
            r#"app.items items_code_key ["code"] constraint"#,
            r#"app.items ux_items_name ["name"] index"#
        ]
    );
    assert_eq!(found.check_constraints[0].definition, "CHECK (state > 0)");
    let naming: Vec<_> = found
        .naming
        .iter()
        .map(|c| format!("{} {}: {}", c.status.icon(), c.title, c.detail))
        .collect();
    insta::assert_snapshot!(naming.join("\n"), @r"
        ✅ naming_convention.pk = pk_%(table_name)s: 1 name fit
        ❌ naming_convention.uq = uq_%(table_name)s__%(constraint_name)s: 1 of 1 name do not fit: constraint app.items.items_code_key: `items_code_key`, expected `uq_items__<constraint_name>` (naming_convention.uq = uq_%(table_name)s__%(constraint_name)s)
        ");
}

#[test]
fn no_convention_is_a_fact_not_a_pass() {
    let found = constraints(&demo(), &NamingConvention::default()).unwrap();
    assert_eq!(found.naming.len(), 1);
    assert_eq!(found.naming[0].status, Mark::Info);
}
