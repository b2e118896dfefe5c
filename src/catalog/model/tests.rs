use super::*;

fn sample() -> Vec<Object> {
    vec![
        Object::new(Kind::Index, "public.ix_b", "ix_b")
            .in_schema("public")
            .on_table("t")
            .with("columns", vec!["b".to_string()])
            .with("valid", true),
        Object::new(Kind::Table, "public.t", "t")
            .in_schema("public")
            .on_table("t"),
        Object::new(Kind::Column, "public.t.b", "b")
            .in_schema("public")
            .on_table("t")
            .with("position", 2_i64)
            .with("type", "text"),
        Object::new(Kind::Column, "public.t.a", "a")
            .in_schema("public")
            .on_table("t")
            .with("position", 1_i64)
            .with("type", "integer"),
        Object::new(Kind::Schema, "public", "public").in_schema("public"),
    ]
}

#[test]
fn sorted_by_kind_then_identity() {
    let snapshot = Snapshot::new(Dialect::Postgresql, sample());
    let labels: Vec<String> = snapshot.objects.iter().map(Object::label).collect();
    assert_eq!(
        labels,
        [
            "schema public",
            "table public.t",
            "column public.t.a",
            "column public.t.b",
            "index public.ix_b"
        ]
    );
    assert_eq!(
        snapshot.get(Kind::Column, "public.t.b").map(|o| &o.name),
        Some(&"b".to_string())
    );
    assert!(snapshot.get(Kind::Column, "public.t.c").is_none());
}

#[test]
fn input_order_does_not_change_the_bytes() {
    let mut reversed = sample();
    reversed.reverse();
    let a = Snapshot::new(Dialect::Postgresql, sample()).to_json();
    let b = Snapshot::new(Dialect::Postgresql, reversed).to_json();
    assert_eq!(a, b);
}

#[test]
fn json_round_trip() {
    let snapshot = Snapshot::new(Dialect::Sqlite, sample());
    let json = snapshot.to_json();
    assert_eq!(Snapshot::from_json(&json).ok(), Some(snapshot));
}

#[test]
fn json_shape() {
    let snapshot = Snapshot::new(
        Dialect::Postgresql,
        vec![Object::new(Kind::MaterializedView, "app.mv", "mv")
            .in_schema("app")
            .with("populated", true)
            .with("definition", " SELECT 1;")],
    );
    insta::assert_snapshot!(snapshot.to_json(), @r#"
    {
      "dialect": "postgresql",
      "objects": [
        {
          "kind": "materialized_view",
          "id": "app.mv",
          "schema": "app",
          "name": "mv",
          "attrs": {
            "definition": " SELECT 1;",
            "populated": true
          }
        }
      ]
    }
    "#);
}

#[test]
fn unknown_dialect_is_an_error() {
    let error = Snapshot::from_json(r#"{"dialect": "oracle", "objects": []}"#)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("unreadable snapshot JSON: unknown dialect `oracle` at line 1 column 20")
    );
}

#[test]
fn duplicates_collapse_deterministically() {
    let a = Object::new(Kind::Constraint, "t.check (x > 0)", "").with("n", 2_i64);
    let b = Object::new(Kind::Constraint, "t.check (x > 0)", "").with("n", 1_i64);
    let one = Snapshot::new(Dialect::Sqlite, vec![a.clone(), b.clone()]);
    let two = Snapshot::new(Dialect::Sqlite, vec![b, a]);
    assert_eq!(one, two);
    assert_eq!(one.objects.len(), 1);
}

#[test]
fn kinds_by_name() {
    for kind in Kind::ALL {
        assert_eq!(Kind::from_name(kind.as_str()), Some(kind));
        let serialised = serde_json::to_string(&kind).unwrap_or_default();
        assert_eq!(Kind::from_name(serialised.trim_matches('"')), Some(kind));
    }
    assert_eq!(
        Kind::from_name("Materialized_View"),
        Some(Kind::MaterializedView)
    );
    assert_eq!(Kind::from_name("tables"), None);
}

#[test]
fn values_display() {
    assert_eq!(
        Value::from(vec!["a".into(), "b".into()]).to_string(),
        "[a, b]"
    );
    assert_eq!(Value::from(false).to_string(), "false");
    assert_eq!(Value::from(7_i64).to_string(), "7");
    let parsed: Value = serde_json::from_str("[\"x\"]").unwrap_or(Value::Bool(false));
    assert_eq!(parsed, Value::List(vec!["x".into()]));
}

/// How `Value` was read before it had its own reader: the reference.
mod untagged {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    pub enum Value {
        Bool(bool),
        Int(i64),
        Text(String),
        List(Vec<String>),
    }
}

#[test]
fn values_read_back_as_the_untagged_enum_read_them() {
    type Attrs<T> = std::collections::BTreeMap<String, Option<T>>;
    let cases = [
        "true",
        "-3",
        "9223372036854775807",
        "9223372036854775808",
        r#""a\"b""#,
        r#"["x", "y"]"#,
        "[]",
        "1.5",
        "null",
        "{}",
        r#"{"a": [1, {"b": 2}]}"#,
        "[1]",
        r#"["x", null, "y"]"#,
        r#"["x", [1, 2], "y"]"#,
    ];

    for json in cases {
        let ours = serde_json::from_str::<Value>(json).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<untagged::Value>(json).map_err(|e| e.to_string());
        assert_eq!(
            ours.as_ref().err(),
            theirs.as_ref().err(),
            "errors differ for {json}"
        );
        assert_eq!(
            ours.ok().map(|v| format!("{v:?}")),
            theirs.ok().map(|v| format!("{v:?}")),
            "values differ for {json}"
        );
        let map = format!(r#"{{"k": {json}, "z": 1}}"#);
        let ours = serde_json::from_str::<Attrs<Value>>(&map).map_err(|e| e.to_string());
        let theirs =
            serde_json::from_str::<Attrs<untagged::Value>>(&map).map_err(|e| e.to_string());
        assert_eq!(
            ours.as_ref().err(),
            theirs.as_ref().err(),
            "in a map: {json}"
        );
        assert_eq!(ours.is_ok(), theirs.is_ok(), "in a map: {json}");
    }
}
