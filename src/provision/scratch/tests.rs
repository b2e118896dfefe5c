use super::*;

#[test]
fn with_database_replaces_only_the_path() {
    assert_eq!(
        with_database("postgresql://u:p@h:5432/app?sslmode=require", "t 1"),
        "postgresql://u:p@h:5432/t%201?sslmode=require"
    );
    assert_eq!(
        with_database("postgresql://mig@/postgres?host=/tmp/x", "db"),
        "postgresql://mig@/db?host=/tmp/x"
    );
    assert_eq!(with_database("postgresql://h", "db"), "postgresql://h/db");
    assert_eq!(
        with_database("postgresql://u:pa/ss@h/app", "db"),
        "postgresql://u:pa/ss@h/db"
    );
}

#[test]
fn unique_names_fit_postgres_identifiers() {
    let long = "x".repeat(100);
    let name = unique_name(&long);
    assert_eq!(name.len(), 63);
    assert_ne!(unique_name("a"), unique_name("a"));
}
