use super::*;

#[test]
fn debian_versions_sort_highest_first() {
    let root = tempfile::tempdir().unwrap();
    for version in ["9.6", "15", "17", "notaversion", "13"] {
        std::fs::create_dir_all(root.path().join(version).join("bin")).unwrap();
    }
    let found: Vec<String> = debian_bindirs(root.path())
        .iter()
        .map(|dir| dir.strip_prefix(root.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(found, ["17/bin", "15/bin", "13/bin", "9.6/bin"]);
}

#[test]
fn client_versions_are_read_from_their_first_number() {
    assert_eq!(
        parse_major("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"),
        Some(15)
    );
    assert_eq!(parse_major("pg_restore (PostgreSQL) 9.6.24"), Some(9));
    assert_eq!(parse_major("pg_dump (PostgreSQL) 18devel"), None);
    assert_eq!(parse_major("nonsense"), None);
}

#[test]
fn explicit_directory_without_programs_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = PgBinaries::locate(Some(dir.path())).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(text.contains("apt-get install postgresql"), "{text}");
}
