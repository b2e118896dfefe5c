use super::*;

#[test]
fn sqlite_urls_follow_sqlalchemy() {
    assert_eq!(
        sqlite_location("sqlite://").unwrap(),
        SqliteLocation::Memory
    );
    assert_eq!(
        sqlite_location("sqlite+pysqlite:///app.db").unwrap(),
        SqliteLocation::File("app.db".into())
    );
    assert_eq!(
        sqlite_location("sqlite:////var/lib/app.db?mode=ro").unwrap(),
        SqliteLocation::File("/var/lib/app.db".into())
    );
    assert!(sqlite_location("sqlite://host/app.db").is_err());
}
