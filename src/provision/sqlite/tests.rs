use super::*;

#[test]
fn url_is_absolute_sqlalchemy_form_and_dir_is_removed() {
    let db = TempSqlite::new().unwrap();
    assert!(db.url().starts_with("sqlite:////"), "{}", db.url());
    assert!(!db.path().exists());
    std::fs::write(db.path(), b"").unwrap();
    let dir = db.dir().to_path_buf();
    drop(db);
    assert!(!dir.exists());
}
