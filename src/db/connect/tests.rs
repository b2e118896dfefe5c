use super::*;

#[test]
fn sqlite_urls_follow_sqlalchemy() {
    let location = |text: &str| SqliteLocation::of(&DatabaseUrl::parse(text).unwrap());
    assert_eq!(location("sqlite://"), SqliteLocation::Memory);
    assert_eq!(location("sqlite:///:memory:"), SqliteLocation::Memory);
    assert_eq!(
        location("sqlite+pysqlite:///app.db"),
        SqliteLocation::File("app.db".into())
    );
    assert_eq!(
        location("sqlite:////var/lib/app.db?mode=ro"),
        SqliteLocation::File("/var/lib/app.db".into())
    );
}
