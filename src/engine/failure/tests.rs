use super::*;

#[test]
fn shorten_flattens_and_cuts() {
    assert_eq!(
        shorten("CREATE TABLE t (\n    id int\n)"),
        "CREATE TABLE t ( id int )"
    );
    let long = format!("SELECT '{}'", "x".repeat(300));
    let short = shorten(&long);
    assert_eq!(short.chars().count(), STATEMENT_CHARS + 4);
    assert!(short.ends_with("x ..."));
}
