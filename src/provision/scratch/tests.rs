use super::*;

#[test]
fn unique_names_fit_postgres_identifiers() {
    let long = "x".repeat(100);
    let name = unique_name(&long);
    assert_eq!(name.len(), 63);
    assert_ne!(unique_name("a"), unique_name("a"));
}

#[test]
fn debug_shows_no_password() {
    let server = DatabaseUrl::parse("postgresql://u:pä%20ss@h/postgres?sslmode=require").unwrap();
    let scratch = ScratchDatabase {
        url: Box::new(server.with_database("t")),
        server: Box::new(server),
        name: "t".to_string(),
        // Nothing was created: dropping the value must not try to drop a database.
        removed: true,
    };
    let debug = format!("{scratch:?} {}", scratch.url());
    assert!(debug.contains("u:***@h/t?sslmode=require"), "{debug}");
    for form in ["pä ss", "p%C3%A4%20ss", "p%c3%a4%20ss", "p%C3%A4+ss"] {
        assert!(!debug.contains(form), "{debug}");
    }
}
