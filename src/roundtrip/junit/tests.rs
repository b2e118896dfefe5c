use super::*;

#[test]
fn escapes_markup_quotes_and_drops_what_xml_cannot_carry() {
    assert_eq!(
        attr("a<b>&\"c\"\n'd'\u{1}"),
        "a&lt;b&gt;&amp;&quot;c&quot;&#10;&apos;d&apos;"
    );
    assert_eq!(
        text("x < y && z]]>\u{0}\u{B}ok\n"),
        "x &lt; y &amp;&amp; z]]&gt;ok\n"
    );
}
