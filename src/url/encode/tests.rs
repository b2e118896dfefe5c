use super::*;

#[test]
fn decodes_percent_sequences_and_keeps_malformed_ones() {
    assert_eq!(percent_decode("p%40ss%2Fw%3Ard"), "p@ss/w:rd");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%4"), "%zz%4");
    assert_eq!(percent_decode("%C3%A9"), "é");
    assert_eq!(percent_decode("%FF"), "\u{FFFD}");
}

#[test]
fn encodes_components() {
    assert_eq!(
        encode_component("p@ss:w/rd#?é"),
        "p%40ss%3Aw%2Frd%23%3F%C3%A9"
    );
    assert_eq!(encode_path("/tmp/my db.sqlite"), "/tmp/my%20db.sqlite");
    assert_eq!(encode_query("/var/run"), "/var/run");
}

#[test]
fn parses_query_like_parse_qsl() {
    assert_eq!(
        query_pairs("sslmode=require&a=&b&options=-c+x%3D1"),
        vec![
            ("sslmode".to_string(), "require".to_string()),
            ("options".to_string(), "-c x=1".to_string()),
        ]
    );
}
