use super::*;

#[test]
fn normal_form_ignores_quoting_case_space_and_comments() {
    let a = normalize(
        "CREATE TABLE \"t\" (\n  id INTEGER PRIMARY KEY, -- key\n  Name TEXT /* x */ NOT NULL\n)",
    );
    let b = normalize("create table t(id integer primary key,name text not null)");
    let c = normalize("create table [T] ( `ID` integer primary key , name text not null )");
    assert_eq!(
        a,
        "create table t (id integer primary key, name text not null)"
    );
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn normal_form_keeps_literals() {
    assert_eq!(
        normalize("CHECK (x <> 'It''s') DEFAULT X'0A' \"Odd Name\" 1.5E+3"),
        "check (x <> 'It''s') default x'0A' \"odd name\" 1.5e+3"
    );
    assert_eq!(normalize("a.b = f(c,d)"), "a.b = f (c, d)");
    assert_eq!(normalize("'unterminated"), "'unterminated");
    assert_eq!(normalize("\"unterminated"), "unterminated");
}

#[test]
fn identities_quote_only_when_needed() {
    assert_eq!(quote_ident("Users"), "Users");
    assert_eq!(quote_ident("my table"), "\"my table\"");
    assert_eq!(quote_ident("1x"), "\"1x\"");
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
}

#[test]
fn defaults_lose_their_outer_parentheses_and_predicates_are_read() {
    assert_eq!(normalize_expression("('x')"), "'x'");
    assert_eq!(normalize_expression("((0))"), "0");
    assert_eq!(normalize_expression("(a) + (b)"), "(a) + (b)");
    assert_eq!(
        normalize_expression("CURRENT_TIMESTAMP"),
        "current_timestamp"
    );
    assert_eq!(
        index_predicate("CREATE INDEX i ON t (a) WHERE a <> '' AND (b IS NULL)"),
        Some("a <> '' and (b is null)".to_string())
    );
    assert_eq!(index_predicate("CREATE INDEX i ON t (a)"), None);
}
