use super::*;

#[test]
fn encode_escapes_all_but_unreserved() {
    assert_eq!(encode("/tmp/mig-pg-Ab3_x"), "%2Ftmp%2Fmig-pg-Ab3_x");
    assert_eq!(encode("a b&c/d"), "a%20b%26c%2Fd");
}
