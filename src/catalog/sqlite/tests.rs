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
    assert_eq!(
        fk.and_then(|f| f.text("definition")),
        Some("foreign key (b) references u on update no action on delete cascade")
    );
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

/// A table `t` (with `id` as its primary key) in the rows the schema statement returns,
/// with one index and one foreign key to `n` as given.
fn spelled(table_sql: &str, index_sql: &str, key: &str, to: &str, on_update: &str) -> Snapshot {
    let table = serde_json::json!({
        "type": "table", "name": "t", "sql": table_sql, "strict": 0, "without_rowid": 0
    });
    let index = serde_json::json!({
        "type": "index", "name": "ix_t", "sql": index_sql, "strict": null, "without_rowid": null
    });
    let n = r#"{"type":"table","name":"n","sql":"CREATE TABLE n (id INTEGER PRIMARY KEY)","strict":0,"without_rowid":0}"#;
    let fk = format!(
        r#"{{"id":0,"seq":0,"table":"n","from":"nid","to":{to},"on_update":"{on_update}","on_delete":"CASCADE","match":"NONE"}}"#
    );
    let catalog = Catalog::from_rows(rows(&[
        ("object", "n", n),
        ("column", "n", r#"{"cid":0,"name":"id","type":"INTEGER","not_null":0,"default":null,"pk":1,"hidden":0}"#),
        ("object", "t", &table.to_string()),
        ("column", "t", r#"{"cid":0,"name":"id","type":"INTEGER","not_null":1,"default":null,"pk":1,"hidden":0}"#),
        ("column", "t", r#"{"cid":1,"name":"nid","type":"INTEGER","not_null":0,"default":"('x')","pk":0,"hidden":0}"#),
        ("object", "t", &index.to_string()),
        ("index", "t", key),
        ("foreign_key", "t", &fk),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    Snapshot::new(Dialect::Sqlite, catalog.objects())
}

#[test]
fn spelling_does_not_count_meaning_does() {
    let keys = |second: &str| {
        format!(
            r#"{{"name":"ix_t","unique":0,"origin":"c","partial":0,"columns":["id","nid"],"keys":[{{"name":"id","desc":0,"coll":"BINARY"}},{{"name":"nid","desc":{second},"coll":"BINARY"}}]}}"#
        )
    };
    let plain = spelled(
        "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, nid INTEGER DEFAULT 'x' REFERENCES n ON DELETE cascade)",
        "CREATE INDEX ix_t ON t (id, nid)",
        &keys("0"),
        "null",
        "NO ACTION",
    );
    let explicit = spelled(
        "CREATE TABLE \"t\" (\"id\" integer NOT NULL, nid integer DEFAULT ('x'), PRIMARY KEY (id), \
         FOREIGN KEY(nid) REFERENCES n (id) ON UPDATE NO ACTION ON DELETE CASCADE)",
        "CREATE INDEX ix_t ON \"t\" (id ASC, nid ASC)",
        &keys("0"),
        "\"id\"",
        "NO ACTION",
    );
    let options = crate::diff::DiffOptions::default();
    assert_eq!(
        crate::diff::diff(&plain, &explicit, &options).to_string(),
        ""
    );
    let index = plain.get(Kind::Index, "ix_t");
    assert_eq!(
        index.map(|i| i.list("keys").to_vec()),
        Some(vec![
            "id asc collate binary".to_string(),
            "nid asc collate binary".to_string()
        ])
    );
    // A descending key and another update action are real changes.
    let descending = spelled(
        "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, nid INTEGER DEFAULT 'x' REFERENCES n ON DELETE cascade)",
        "CREATE INDEX ix_t ON t (id, nid DESC)",
        &keys("1"),
        "null",
        "SET NULL",
    );
    insta::assert_snapshot!(crate::diff::diff(&plain, &descending, &options).to_string(), @r"
    changed constraint t.foreign key (nid) references n (id)
      definition: foreign key (nid) references n (id) on update no action on delete cascade -> foreign key (nid) references n (id) on update set null on delete cascade
      on_update: NO ACTION -> SET NULL
    changed index ix_t
      keys: [id asc collate binary, nid asc collate binary] -> [id asc collate binary, nid desc collate binary]
    ");
}
