use super::*;

#[test]
fn create_schema_per_dialect() {
    assert_eq!(
        Dialect::Postgresql
            .create_schema_sql("zero_admin")
            .as_deref(),
        Some("CREATE SCHEMA IF NOT EXISTS zero_admin")
    );
    assert_eq!(
        Dialect::Mysql.create_schema_sql("order").as_deref(),
        Some("CREATE SCHEMA IF NOT EXISTS `order`")
    );
    assert_eq!(Dialect::Sqlite.create_schema_sql("aux"), None);
}

#[test]
fn search_path_quotes_each_name_as_needed() {
    assert_eq!(
        Dialect::Postgresql
            .search_path_sql(&SearchPath::from("zero_admin, public"))
            .as_deref(),
        Some("SET search_path TO zero_admin, public")
    );
    assert_eq!(
        Dialect::Postgresql
            .search_path_sql(&SearchPath::from("$user,Admin ,\"My, Schema\""))
            .as_deref(),
        Some("SET search_path TO \"$user\", admin, \"My, Schema\"")
    );
    assert_eq!(
        Dialect::Postgresql
            .search_path_sql(&SearchPath::from("\"public\"; DROP TABLE important; --"))
            .as_deref(),
        Some("SET search_path TO \"\"\"public\"\"; DROP TABLE important; --\"")
    );
}

#[test]
fn search_path_is_postgresql_only_and_needs_a_name() {
    assert_eq!(
        Dialect::Sqlite.search_path_sql(&SearchPath::from("main")),
        None
    );
    assert_eq!(
        Dialect::Mysql.search_path_sql(&SearchPath::from("db")),
        None
    );
    assert_eq!(
        Dialect::Postgresql.search_path_sql(&SearchPath::from(" , ")),
        None
    );
}
