use super::*;

fn rows(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn unreadable_text_falls_back_to_pragmas() {
    let catalog = Catalog::from_rows(rows(&[
        (
            "object",
            "t",
            r#"{"type":"table","name":"t","sql":"CREATE TABLE t (a int, b int, weird syntax (","strict":0,"without_rowid":0}"#,
        ),
        ("column", "t", r#"{"cid":0,"name":"a","type":"INT","not_null":0,"default":null,"pk":1,"hidden":0}"#),
        ("column", "t", r#"{"cid":1,"name":"b","type":"INT","not_null":1,"default":"'x'","pk":0,"hidden":0}"#),
        ("index", "t", r#"{"name":"sqlite_autoindex_t_1","unique":1,"origin":"u","partial":0,"columns":["b"]}"#),
        (
            "foreign_key",
            "t",
            r#"{"id":0,"seq":0,"table":"u","from":"b","to":null,"on_update":"NO ACTION","on_delete":"CASCADE","match":"NONE"}"#,
        ),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let snapshot = Snapshot::new(Dialect::Sqlite, catalog.objects());
    let labels: Vec<String> = snapshot.objects.iter().map(Object::label).collect();
    assert_eq!(
        labels,
        [
            "table t",
            "column t.a",
            "column t.b",
            "constraint t.foreign key (b) references u",
            "constraint t.primary key (a)",
            "constraint t.unique (b)",
        ]
    );
    let table = snapshot.get(Kind::Table, "t");
    assert_eq!(
        table.and_then(|t| t.text("sql")),
        Some("create table t (a int, b int, weird syntax (")
    );
    let fk = snapshot.get(Kind::Constraint, "t.foreign key (b) references u");
    assert_eq!(fk.and_then(|f| f.text("on_delete")), Some("CASCADE"));
}

#[test]
fn bad_rows_are_errors() {
    let error = Catalog::from_rows(rows(&[("column", "t", "{}")]))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "catalog query `schema` returned an unreadable row: column of `t`: missing field \
         `cid` at line 1 column 2"
    );
}
