use super::*;

#[test]
fn copy_blocks_are_digested_per_table() {
    let script = b"SET x = 1;\nCOPY public.items (id, name) FROM stdin;\n2\ttwo\n1\tone\n\\.\n\nCOPY \"Odd\".\"T\" FROM stdin;\n\\.\nSELECT 1;\n";
    let found = copy_blocks(script);
    let mut expected = RowDigest::default();
    expected.line(b"1\tone");
    expected.line(b"2\ttwo");
    let key = |s: &str, n: &str| (s.to_string(), n.to_string());
    assert_eq!(found[&key("public", "items")], expected.finish());
    assert_eq!(found[&key("Odd", "T")].0, 0);
}

#[test]
fn dump_names_are_unquoted() {
    assert_eq!(
        unquote_qualified("zero_admin.inbox_items"),
        ("zero_admin".into(), "inbox_items".into())
    );
    assert_eq!(
        unquote_qualified("\"My.S\".\"a\"\"b\""),
        ("My.S".into(), "a\"b".into())
    );
}
