use super::*;

#[test]
fn shorten_keeps_short_statements_and_cuts_long_ones() {
    assert_eq!(shorten("SELECT 1"), "SELECT 1");
    assert_eq!(
        shorten("-- why\nCREATE TABLE t (\n  id int\n)"),
        "CREATE TABLE t ( ..."
    );
    let long = format!("SELECT '{}'", "é".repeat(100));
    let short = shorten(&long);
    assert_eq!(short.chars().count(), 64);
    assert!(short.ends_with("é ..."));
}
