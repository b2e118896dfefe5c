use super::*;
use crate::dialect::Dialect;

fn table(name: &str) -> Object {
    Object::new(Kind::Table, format!("public.{name}"), name)
        .in_schema("public")
        .on_table(name)
        .with("owner", "app")
}

fn column(table: &str, name: &str, position: i64, data_type: &str) -> Object {
    Object::new(Kind::Column, format!("public.{table}.{name}"), name)
        .in_schema("public")
        .on_table(table)
        .with("type", data_type)
        .with("not_null", false)
        .with("position", position)
}

fn index(table: &str, name: &str) -> Object {
    Object::new(Kind::Index, format!("public.{name}"), name)
        .in_schema("public")
        .on_table(table)
        .with("valid", true)
}

/// `objects` with `object` in place of the one with its identity.
fn put(mut objects: Vec<Object>, object: Object) -> Vec<Object> {
    objects.retain(|o| (o.kind, &o.id) != (object.kind, &object.id));
    objects.push(object);
    objects
}

fn snapshot(objects: Vec<Object>) -> Snapshot {
    Snapshot::new(Dialect::Postgresql, objects)
}

fn base() -> Vec<Object> {
    vec![
        Object::new(Kind::Schema, "public", "public").in_schema("public"),
        table("users"),
        column("users", "id", 1, "integer"),
        column("users", "email", 2, "text"),
        index("users", "ix_users_email"),
    ]
}

#[test]
fn identical_snapshots_have_no_findings() {
    let findings = diff(
        &snapshot(base()),
        &snapshot(base()),
        &DiffOptions::default(),
    );
    assert!(findings.is_empty());
    assert_eq!(findings.to_string(), "");
}

#[test]
fn extra_missing_and_changed() {
    let before = snapshot(base());
    let mut objects = base();
    objects.retain(|o| o.id != "public.ix_users_email");
    objects.push(index("users", "ix_users_email_1"));
    let objects = put(
        objects,
        column("users", "email", 2, "character varying(200)")
            .with("not_null", true)
            .with("default", "''::text"),
    );
    let after = snapshot(objects);
    let findings = diff(&before, &after, &DiffOptions::default());
    assert_eq!(findings.len(), 3);
    insta::assert_snapshot!(findings.to_string(), @r"
    extra index public.ix_users_email_1
    missing index public.ix_users_email
    changed column public.users.email
      default: (none) -> ''::text
      not_null: false -> true
      type: text -> character varying(200)
    ");
}

#[test]
fn parts_of_an_extra_table_are_not_listed() {
    let before = snapshot(base());
    let mut objects = base();
    objects.extend([
        table("audit"),
        column("audit", "id", 1, "integer"),
        index("audit", "ix_audit_id"),
        Object::new(Kind::Sequence, "public.audit_id_seq", "audit_id_seq")
            .in_schema("public")
            .on_table("audit"),
        Object::new(Kind::Comment, "on table public.audit", "public.audit")
            .in_schema("public")
            .on_table("audit"),
        Object::new(Kind::Extension, "pg_trgm", "pg_trgm"),
        Object::new(Kind::Comment, "on extension pg_trgm", "pg_trgm"),
        Object::new(Kind::Grant, "on table public.users to reader", "reader"),
        // A sequence owned by a column of a table both sides have is listed.
        Object::new(Kind::Sequence, "public.users_id_seq", "users_id_seq")
            .in_schema("public")
            .on_table("users"),
    ]);
    let findings = diff(&before, &snapshot(objects), &DiffOptions::default());
    insta::assert_snapshot!(findings.to_string(), @r"
    extra extension pg_trgm
    extra table public.audit
    extra sequence public.users_id_seq
    extra grant on table public.users to reader
    ");
}

#[test]
fn contents_of_a_missing_schema_are_not_listed() {
    let mut objects = base();
    objects.extend([
        Object::new(Kind::Schema, "app", "app").in_schema("app"),
        Object::new(Kind::Table, "app.t", "t")
            .in_schema("app")
            .on_table("t"),
        Object::new(Kind::Function, "app.f()", "f").in_schema("app"),
    ]);
    let findings = diff(
        &snapshot(objects),
        &snapshot(base()),
        &DiffOptions::default(),
    );
    insta::assert_snapshot!(findings.to_string(), @"missing schema app");
}

#[test]
fn column_order_is_cosmetic_and_off_by_default() {
    // Drop and re-add `id`: it moves to the end.
    let before = snapshot(base());
    let mut objects = base();
    objects.retain(|o| o.kind != Kind::Column);
    objects.push(column("users", "email", 1, "text"));
    objects.push(column("users", "id", 2, "integer"));
    let after = snapshot(objects);
    assert!(diff(&before, &after, &DiffOptions::default()).is_empty());
    let opts = DiffOptions {
        column_order: true,
        ..DiffOptions::default()
    };
    let findings = diff(&before, &after, &opts);
    insta::assert_snapshot!(findings.to_string(), @r"
    changed column public.users.email
      position: 2 -> 1 (column order)
    changed column public.users.id
      position: 1 -> 2 (column order)
    ");
}

#[test]
fn owner_is_cosmetic_and_switchable() {
    let before = snapshot(base());
    let after = snapshot(put(base(), table("users").with("owner", "postgres")));
    let on = diff(&before, &after, &DiffOptions::default());
    insta::assert_snapshot!(on.to_string(), @r"
    changed table public.users
      owner: app -> postgres (owner)
    ");
    let off = DiffOptions {
        owner: false,
        ..DiffOptions::default()
    };
    assert!(diff(&before, &after, &off).is_empty());
}

#[test]
fn bodies_get_a_unified_diff() {
    let function = |body: &str| {
        Object::new(Kind::Function, "public.touch()", "touch")
            .in_schema("public")
            .with("definition", body)
    };
    let before = snapshot(vec![function(
        "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nbegin\n  new.updated_at := now();\n  return new;\nend\n$function$\n",
    )]);
    let after = snapshot(vec![function(
        "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nbegin\n  new.updated_at := clock_timestamp();\n  return new;\nend\n$function$\n",
    )]);
    let findings = diff(&before, &after, &DiffOptions::default());
    insta::assert_snapshot!(findings.to_string(), @r"
    changed function public.touch()
      definition:
        --- before
        +++ after
        @@ -3,7 +3,7 @@
          LANGUAGE plpgsql
         AS $function$
         begin
        -  new.updated_at := now();
        +  new.updated_at := clock_timestamp();
           return new;
         end
         $function$
    ");
}

#[test]
fn absent_values_and_lists() {
    let policy = |roles: &[&str]| {
        Object::new(Kind::Grant, "on table public.users to reader", "reader").with(
            "granted",
            roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        )
    };
    let before = snapshot(vec![policy(&["SELECT"])]);
    let after = snapshot(vec![
        policy(&["INSERT", "SELECT"]).with("revoked", vec!["TRUNCATE".to_string()])
    ]);
    let findings = diff(&before, &after, &DiffOptions::default());
    insta::assert_snapshot!(findings.to_string(), @r"
    changed grant on table public.users to reader
      granted: [SELECT] -> [INSERT, SELECT]
      revoked: (none) -> [TRUNCATE]
    ");
}

#[test]
fn findings_serialise() {
    let before = snapshot(base());
    let mut objects = put(base(), column("users", "id", 1, "bigint"));
    objects.push(index("users", "ix_extra"));
    let findings = diff(&before, &snapshot(objects), &DiffOptions::default());
    let json = serde_json::to_string_pretty(&findings).unwrap_or_default();
    insta::assert_snapshot!(json, @r#"
    {
      "extra": [
        {
          "kind": "index",
          "id": "public.ix_extra"
        }
      ],
      "missing": [],
      "changed": [
        {
          "kind": "column",
          "id": "public.users.id",
          "fields": [
            {
              "field": "type",
              "before": "integer",
              "after": "bigint"
            }
          ]
        }
      ]
    }
    "#);
    let back: Differences = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, findings);
}
