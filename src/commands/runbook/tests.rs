use super::*;

#[test]
fn claim_takes_the_first_name_whose_markdown_and_json_are_free() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = |(md, json): (PathBuf, PathBuf)| {
        let file = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
        (file(&md), file(&json))
    };
    let first = claim(dir.path(), "d_p", true).expect("claim");
    assert_eq!(name(first), ("d_p.md".into(), "d_p.json".into()));
    // A `.json` alone (a run that stopped between the two files) also takes the name.
    std::fs::write(dir.path().join("d_p_2.json"), "{}").expect("write");
    let third = claim(dir.path(), "d_p", true).expect("claim");
    assert_eq!(name(third), ("d_p_3.md".into(), "d_p_3.json".into()));
    // Without keeping, the name is the stem's, taken or not.
    let over = claim(dir.path(), "d_p", false).expect("claim");
    assert_eq!(name(over), ("d_p.md".into(), "d_p.json".into()));
}
