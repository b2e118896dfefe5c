use super::*;

#[test]
fn one_list_for_both_paths() {
    let path = SearchPath::parse("$user,Admin ,\"My, Schema\"").unwrap();
    assert_eq!(path.names(), ["$user", "admin", "My, Schema"]);
    assert_eq!(
        path.list().as_deref(),
        Some("\"$user\", admin, \"My, Schema\"")
    );
    assert_eq!(
        path.set_sql().as_deref(),
        Some("SET search_path TO \"$user\", admin, \"My, Schema\"")
    );
    assert_eq!(path.to_string(), "$user,Admin ,\"My, Schema\"");
}

#[test]
fn a_configured_value_must_be_names_and_an_unchecked_one_is_quoted_whole() {
    let injected = "\"public\"; DROP TABLE important; --";
    assert!(SearchPath::parse(injected).is_err());
    assert_eq!(
        SearchPath::from(injected).list().as_deref(),
        Some("\"\"\"public\"\"; DROP TABLE important; --\"")
    );
}

#[test]
fn nothing_named_renders_nothing() {
    assert_eq!(SearchPath::parse("").unwrap().list(), None);
    assert_eq!(SearchPath::from(" , ").set_sql(), None);
}
