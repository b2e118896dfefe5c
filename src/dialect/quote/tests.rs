use super::*;

// Expected values observed with SQLAlchemy 2.1.9's identifier preparers
// (`dialect.identifier_preparer.quote(name)`).
#[test]
fn quotes_like_sqlalchemy() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // name, postgresql, sqlite, mysql
        (
            "alembic_version",
            "alembic_version",
            "alembic_version",
            "alembic_version",
        ),
        ("My_Ver", "\"My_Ver\"", "\"My_Ver\"", "`My_Ver`"),
        ("user", "\"user\"", "user", "user"),
        ("select", "\"select\"", "\"select\"", "`select`"),
        ("schema", "schema", "schema", "`schema`"),
        ("1abc", "\"1abc\"", "\"1abc\"", "`1abc`"),
        ("a b", "\"a b\"", "\"a b\"", "`a b`"),
        ("a\"b", "\"a\"\"b\"", "\"a\"\"b\"", "`a\"b`"),
        ("a`b", "\"a`b\"", "\"a`b\"", "`a``b`"),
        ("$x", "\"$x\"", "\"$x\"", "`$x`"),
        ("x$", "x$", "x$", "x$"),
        ("élan", "\"élan\"", "\"élan\"", "`élan`"),
        ("ver-x", "\"ver-x\"", "\"ver-x\"", "`ver-x`"),
        ("_x", "_x", "_x", "_x"),
        ("ſ", "ſ", "ſ", "ſ"),
        ("İ", "\"İ\"", "\"İ\"", "`İ`"),
    ];
    for (name, pg, sqlite, mysql) in cases {
        assert_eq!(Dialect::Postgresql.quote_identifier(name), *pg, "{name}");
        assert_eq!(Dialect::Sqlite.quote_identifier(name), *sqlite, "{name}");
        assert_eq!(Dialect::Mysql.quote_identifier(name), *mysql, "{name}");
    }
}

#[test]
fn empty_name_is_quoted() {
    assert_eq!(Dialect::Postgresql.quote_identifier(""), "\"\"");
}

#[test]
fn reserved_word_lists_are_sorted_for_binary_search() {
    for dialect in [Dialect::Postgresql, Dialect::Sqlite, Dialect::Mysql] {
        let words = dialect.reserved_words();
        assert!(words.windows(2).all(|w| w[0] < w[1]), "{dialect:?}");
    }
}

#[test]
fn qualified_names_quote_each_part() {
    assert_eq!(
        Dialect::Postgresql.qualified_name(Some("order"), "Ver"),
        "\"order\".\"Ver\""
    );
    assert_eq!(
        Dialect::Mysql.qualified_name(Some("myschema"), "my_ver"),
        "myschema.my_ver"
    );
    assert_eq!(Dialect::Sqlite.qualified_name(None, "v"), "v");
}

#[test]
fn search_path_elements_are_names() {
    assert_eq!(
        parse_search_path("zero_admin, Public,\"My, \"\"Schema\"\"\" , $user").unwrap(),
        vec!["zero_admin", "public", "My, \"Schema\"", "$user"]
    );
    assert_eq!(parse_search_path("").unwrap(), Vec::<String>::new());
}

#[test]
fn search_path_refuses_what_is_not_a_name() {
    let refused = |text: &str| parse_search_path(text).unwrap_err().to_string();
    assert_eq!(
        refused("\"public\"; DROP TABLE important; --"),
        "element 1 (`\"public\"; DROP TABLE important; --`) has text after its closing \
             double quote; a double quote inside a quoted name is written twice (`\"\"`)"
    );
    assert_eq!(
        refused("a, public; DROP TABLE important"),
        "element 2 (`public; DROP TABLE important`) is not a plain name (letters, digits, \
             `_`, `$`): write it in double quotes, with a double quote inside written twice"
    );
    assert_eq!(
        refused("a,,b"),
        "element 2 is empty (two commas in a row, or a comma at an end)"
    );
    assert_eq!(
        refused(" , "),
        "element 1 is empty (two commas in a row, or a comma at an end)"
    );
    assert_eq!(
        refused("a, \"b"),
        "element 2 (`\"b`) has no closing double quote"
    );
    assert_eq!(
        refused("\"\""),
        "element 1 (`\"\"`) is an empty quoted name"
    );
    assert_eq!(refused("a\0b"), "a name cannot contain a NUL character");
}

#[test]
fn lenient_reading_keeps_bad_elements_as_one_name() {
    assert_eq!(
        search_path_names_lenient("\"public\"; DROP TABLE important; --,, x"),
        vec!["\"public\"; DROP TABLE important; --", "x"]
    );
}

#[test]
fn literal_names_need_text_without_nul() {
    assert_eq!(check_name("a\"b; DROP"), Ok(()));
    assert_eq!(check_name(""), Err(NameError::Empty));
    assert_eq!(check_name("a\0"), Err(NameError::Nul));
}

// Expected values observed with SQLAlchemy's literal rendering of a String value
// (`literal_binds=True`) on each dialect.
#[test]
fn string_literals_escape_per_dialect() {
    let value = "a\\b%c'd";
    assert_eq!(Dialect::Postgresql.string_literal(value), "'a\\b%c''d'");
    assert_eq!(Dialect::Sqlite.string_literal(value), "'a\\b%c''d'");
    assert_eq!(Dialect::Mysql.string_literal(value), "'a\\\\b%c''d'");
}
