use super::*;

#[test]
fn reads_across_directories_relative_paths_and_reports_missing_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("one/two"));
    std::fs::create_dir_all(&two).unwrap();
    std::fs::write(one.join("a.sql"), "first").unwrap();
    std::fs::write(two.join("a.sql"), "second, in a subdirectory").unwrap();
    std::fs::write(one.join("b.sql"), "third").unwrap();

    let mut reader = Reader::default();
    for (path, text) in [
        (one.join("a.sql"), "first"),
        (two.join("a.sql"), "second, in a subdirectory"),
        (one.join("b.sql"), "third"),
        (PathBuf::from(format!("{}//b.sql", one.display())), "third"),
        (two.join("../a.sql"), "first"),
        // Relative to the current directory (the crate root under `cargo test`).
        (
            PathBuf::from("Cargo.toml"),
            &*std::fs::read_to_string("Cargo.toml").unwrap(),
        ),
    ] {
        assert_eq!(reader.read(&path).unwrap(), text, "{}", path.display());
    }

    let missing = one.join("missing.sql");
    match reader.read(&missing) {
        Err(LoadError::Io { path, error }) => {
            assert_eq!(path, missing);
            assert_eq!(error.kind(), io::ErrorKind::NotFound);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    match reader.read(&tmp.path().join("gone/x.sql")) {
        Err(LoadError::Io { error, .. }) => assert_eq!(error.kind(), io::ErrorKind::NotFound),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}
