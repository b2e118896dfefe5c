use super::*;

const RBAC: &str = "-- roles, permissions and the default admin role\n--\n-- Seed: rbac\n\
        -- kind: Optional\n-- After: settings, company\n-- Requires: 251018_schema_v1_inbox\n\
        -- Transaction: none\n\nINSERT INTO roles (name) VALUES ('admin');\n";

#[test]
fn reads_every_key_with_the_revision_lexer() {
    let seed = parse_seed(Path::new("seeds/rbac.sql"), RBAC).unwrap();
    assert_eq!(seed.name, "rbac");
    assert_eq!(seed.kind, SeedKind::Optional);
    assert_eq!(seed.after, ["settings", "company"]);
    assert_eq!(seed.after_line, 5);
    assert_eq!(seed.requires, Some(("251018_schema_v1_inbox".into(), 6)));
    assert_eq!(seed.transaction, TransactionMode::None);
    assert_eq!(
        seed.message,
        "roles, permissions and the default admin role"
    );
    assert_eq!(seed.body.line, 9);
    assert_eq!(seed.body.sql, "INSERT INTO roles (name) VALUES ('admin');");
}

#[test]
fn defaults_to_required_in_a_transaction() {
    let seed = parse_seed(Path::new("s.sql"), "-- Seed: s\nSELECT 1;").unwrap();
    assert_eq!(seed.kind, SeedKind::Required);
    assert_eq!(seed.transaction, TransactionMode::Default);
    assert!(seed.after.is_empty() && seed.requires.is_none());
    assert_eq!(seed.body.line, 2);
}

#[test]
fn errors_name_file_and_line() {
    let cases = [
        (
            "-- just a comment\nSELECT 1;",
            "s.sql:1: missing `-- Seed: <name>` header",
        ),
        (
            "-- Seed: a\n-- Seed: b\nSELECT 1;",
            "s.sql:2: header `Seed:` is given twice (first at line 1)",
        ),
        (
            "-- Seed: a\n-- Kind: sometimes\n",
            "s.sql:2: `Kind: sometimes` is not a seed kind; expected `required` or `optional`",
        ),
        (
            "-- Seed: a\n-- Transaction: maybe\n",
            "s.sql:2: `Transaction: maybe` is not a transaction mode; expected `none` or `default`",
        ),
        (
            "-- Seed: a\n-- After: b c\n",
            "s.sql:2: `After:` item `b c` contains whitespace; separate items with commas",
        ),
        (
            "-- Seed: two words\n",
            "s.sql:1: seed name `two words` must be one word without commas",
        ),
    ];
    for (text, expected) in cases {
        let err = parse_seed(Path::new("s.sql"), text).unwrap_err();
        assert_eq!(err.to_string(), expected, "{text}");
    }
}
