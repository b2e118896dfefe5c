use super::*;

/// The demo project's conventions, as written in its alembic.ini.
fn demo() -> NamingConvention {
    NamingConvention {
        pk: Some("pk_%%(table_name)s".into()),
        fk: Some("fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s".into()),
        uq: Some("uq_%%(table_name)s__%%(constraint_name)s".into()),
        ix: Some("ix_%%(table_name)s_%%(column_0_N_name)s".into()),
        ck: Some("ck_%(table_name)s__%(constraint_name)s".into()),
    }
}

fn constraint(table: &str, name: &str, kind: &str, columns: &[&str]) -> Object {
    Object::new(Kind::Constraint, format!("zero_admin.{table}.{name}"), name)
        .in_schema("zero_admin")
        .on_table(table)
        .with("type", kind)
        .with(
            "columns",
            columns.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
}

fn index(table: &str, name: &str, columns: &[&str]) -> Object {
    Object::new(Kind::Index, format!("zero_admin.{name}"), name)
        .in_schema("zero_admin")
        .on_table(table)
        .with(
            "columns",
            columns.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
}

fn fk(table: &str, name: &str, column: &str, referred: &str) -> Object {
    constraint(table, name, "foreign key", &[column])
        .with("referred_table", referred)
        .with("referred_columns", vec!["id".to_string()])
}

fn violations(objects: Vec<Object>) -> String {
    let snapshot = Snapshot::new(Dialect::Postgresql, objects);
    match check(&snapshot, &demo()) {
        Ok(found) => found.iter().map(|v| format!("{v}\n")).collect(),
        Err(error) => error.to_string(),
    }
}

#[test]
fn names_that_fit() {
    let objects = vec![
        constraint("chunks", "pk_chunks", "primary key", &["id"]),
        index("chunks", "pk_chunks", &["id"]).with("constraint", "pk_chunks"),
        fk(
            "chunks",
            "fk_chunks_parsed_item_id_parsed_items",
            "parsed_item_id",
            "parsed_items",
        ),
        constraint(
            "chunks",
            "uq_chunks__seq",
            "unique",
            &["parsed_item_id", "seq_no"],
        ),
        index("chunks", "uq_chunks__seq", &["parsed_item_id", "seq_no"])
            .with("constraint", "uq_chunks__seq"),
        constraint(
            "inbox_items",
            "ck_inbox_items__status_valid",
            "check",
            &["status"],
        ),
        index(
            "chunks",
            "ix_chunks_tenant_id_seq_no",
            &["tenant_id", "seq_no"],
        ),
        // Not covered by any convention.
        constraint("chunks", "chunks_excl", "exclusion", &["id"]),
    ];
    assert_eq!(violations(objects), "");
}

#[test]
fn names_that_do_not_fit() {
    let objects = vec![
        constraint("chunks", "chunks_pkey", "primary key", &["id"]),
        index("chunks", "chunks_pkey", &["id"]).with("constraint", "chunks_pkey"),
        fk(
            "chunks",
            "chunks_parsed_item_id_fkey",
            "parsed_item_id",
            "parsed_items",
        ),
        constraint(
            "chunks",
            "chunks_parsed_item_id_seq_no_key",
            "unique",
            &["parsed_item_id", "seq_no"],
        ),
        constraint("acct", "acct_name_check1", "check", &["name"]),
        index("chunks", "chunks_tenant_id_idx", &["tenant_id", "seq_no"]),
    ];
    insta::assert_snapshot!(violations(objects), @r"
    constraint zero_admin.acct.acct_name_check1: `acct_name_check1`, expected `ck_acct__<constraint_name>` (naming_convention.ck = ck_%(table_name)s__%(constraint_name)s)
    constraint zero_admin.chunks.chunks_parsed_item_id_fkey: `chunks_parsed_item_id_fkey`, expected `fk_chunks_parsed_item_id_parsed_items` (naming_convention.fk = fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s)
    constraint zero_admin.chunks.chunks_parsed_item_id_seq_no_key: `chunks_parsed_item_id_seq_no_key`, expected `uq_chunks__<constraint_name>` (naming_convention.uq = uq_%%(table_name)s__%%(constraint_name)s)
    constraint zero_admin.chunks.chunks_pkey: `chunks_pkey`, expected `pk_chunks` (naming_convention.pk = pk_%%(table_name)s)
    index zero_admin.chunks_tenant_id_idx: `chunks_tenant_id_idx`, expected `ix_chunks_tenant_id_seq_no` (naming_convention.ix = ix_%%(table_name)s_%%(column_0_N_name)s)
    ");
}

#[test]
fn unset_conventions_and_partition_clones_are_not_checked() {
    let objects = vec![
        constraint("m1", "m1_pkey", "primary key", &["id"]).with("parent", "zero_admin.m.pk_m"),
        index("m1", "m1_k_idx", &["k"]).with("parent", "zero_admin.ix_m_k"),
        constraint("t", "t_pkey", "primary key", &["id"]),
    ];
    let snapshot = Snapshot::new(Dialect::Postgresql, objects);
    let only_ix = NamingConvention {
        ix: Some("ix_%(column_0_label)s".into()),
        ..NamingConvention::default()
    };
    assert_eq!(check(&snapshot, &only_ix), Ok(Vec::new()));
    assert_eq!(check(&snapshot, &demo()).map(|v| v.len()), Ok(1));
}

#[test]
fn unnamed_sqlite_constraints_do_not_fit() {
    let unnamed = Object::new(Kind::Constraint, "t.primary key (id)", "")
        .on_table("t")
        .with("type", "primary key")
        .with("columns", vec!["id".to_string()]);
    let snapshot = Snapshot::new(Dialect::Sqlite, vec![unnamed]);
    let found = check(&snapshot, &demo()).unwrap_or_default();
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        ["constraint t.primary key (id): unnamed, expected `pk_t` (naming_convention.pk = pk_%%(table_name)s)"]
    );
}

#[test]
fn bad_templates_are_errors() {
    let snapshot = Snapshot::empty(Dialect::Postgresql);
    let bad = NamingConvention {
        fk: Some("fk_%(table_name)s_%(colum_0_name)s".into()),
        ..NamingConvention::default()
    };
    insta::assert_snapshot!(
        check(&snapshot, &bad).err().map(|e| e.to_string()).unwrap_or_default(),
        @"unknown token `%(colum_0_name)s` in `naming_convention.fk = fk_%(table_name)s_%(colum_0_name)s`; known: table_name, column_0_name, column_0_N_name, column_0N_name, column_0_label, column_0_key, referred_table_name, referred_column_0_name, constraint_name"
    );
    let unterminated = NamingConvention {
        pk: Some("pk_%(table_name".into()),
        ..NamingConvention::default()
    };
    assert_eq!(
        check(&snapshot, &unterminated)
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("unterminated token (`%(` without `)s`) in `naming_convention.pk = pk_%(table_name`")
    );
}
