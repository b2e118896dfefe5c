use super::*;

#[test]
fn statements_strip_and_expand_tabs_like_python() {
    let mut sink = OfflineSink::new(Dialect::Sqlite);
    for sql in [
        "SELECT 1",
        "\tSELECT\t1\t",
        "\x1cSELECT 1\x1f",
        "\u{a0}SELECT 'é'\u{3000}",
        "SELECT 'é'",
        " \x0b",
    ] {
        sink.statement(sql);
    }
    assert_eq!(
        sink.as_str(),
        "SELECT 1;\n\nSELECT    1;\n\nSELECT 1;\n\nSELECT 'é';\n\nSELECT 'é';\n\n;\n\n"
    );
}
