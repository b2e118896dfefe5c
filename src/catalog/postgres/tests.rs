use super::*;

#[test]
fn rows_become_objects() {
    let row: Row = (
        "materialized_view".into(),
        "app.mv".into(),
        Some("app".into()),
        Some("mv".into()),
        "mv".into(),
        r#"{"populated": true, "options": ["a=1"], "n": 3, "definition": "x", "gone": null}"#
            .into(),
    );
    let object = object("relations", row).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(object.kind, Kind::MaterializedView);
    assert_eq!(object.attr("populated"), Some(&Value::Bool(true)));
    assert_eq!(object.list("options"), ["a=1"]);
    assert_eq!(object.attr("n"), Some(&Value::Int(3)));
    assert_eq!(object.attr("gone"), None);
}

#[test]
fn bad_rows_name_the_query_and_object() {
    let row = |kind: &str, attrs: &str| -> Row {
        (
            kind.into(),
            "app.t".into(),
            None,
            None,
            "t".into(),
            attrs.into(),
        )
    };
    let message = |r: Row| object("relations", r).err().map(|e| e.to_string());
    assert_eq!(
        message(row("tabel", "{}")).as_deref(),
        Some("catalog query `relations` returned an unreadable row: unknown kind `tabel` for `app.t`")
    );
    assert_eq!(
        message(row("table", r#"{"x": 1.5}"#)).as_deref(),
        Some(
            "catalog query `relations` returned an unreadable row: attributes of table \
             `app.t`: data did not match any variant of untagged enum Value at line 1 column 10"
        )
    );
}

#[test]
fn every_query_starts_with_the_shared_prefix() {
    for (name, sql) in QUERIES {
        assert!(sql.contains("with hidden (classid, objid) as"), "{name}");
        assert!(
            !sql.trim_end().ends_with(';'),
            "{name} must not end with `;`"
        );
    }
    assert!(!HIDDEN.trim_end().ends_with(';'));
    assert_eq!(POSTGRES_STATEMENTS, 4);
}

#[test]
fn one_statement_holds_every_query_once() {
    for text in [SNAPSHOT.as_str(), FINGERPRINT.as_str()] {
        assert!(text.starts_with("-- "));
        assert!(!text.contains("{hidden}") && !text.contains("{rows}"));
        assert_eq!(text.matches("with recursive -- ").count(), 1);
        assert_eq!(text.matches("hidden_all (classid, objid) as (").count(), 1);
        assert_eq!(
            text.matches("\n) q\nunion all\nselect ").count(),
            QUERIES.len() - 1
        );
    }
    for (name, _) in QUERIES {
        assert!(SNAPSHOT.contains(&format!("select '{name}'::text as query")));
    }
    assert!(SETTINGS.contains(&format!("where name = '{PREPARED}'")));
}
