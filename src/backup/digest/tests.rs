use super::*;

#[test]
fn order_and_chunking_do_not_matter() {
    let mut a = RowDigest::default();
    a.feed(b"1\tone\n2\ttw");
    a.feed(b"o\n");
    let mut b = RowDigest::default();
    b.line(b"2\ttwo");
    b.line(b"1\tone");
    let (rows, hex) = a.finish();
    assert_eq!(rows, 2);
    assert_eq!(b.finish(), (2, hex.clone()));
    let mut c = RowDigest::default();
    c.line(b"1\tone");
    assert_ne!(c.finish().1, hex);
    assert_eq!(RowDigest::default().finish().0, 0);
}
