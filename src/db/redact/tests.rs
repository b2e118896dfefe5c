use super::*;

#[test]
fn masks_the_userinfo_password() {
    assert_eq!(
        redact_url("postgresql://bob:s3cret@db.example:5432/app?sslmode=require"),
        "postgresql://bob:***@db.example:5432/app?sslmode=require"
    );
    assert_eq!(
        url_password("postgresql://bob:s3cret@db/app"),
        Some("s3cret")
    );
}

#[test]
fn a_password_containing_at_signs_is_masked_whole() {
    let url = "postgresql://bob:p@ss@word@db/app";
    assert_eq!(url_password(url), Some("p@ss@word"));
    assert_eq!(redact_url(url), "postgresql://bob:***@db/app");
}

#[test]
fn urls_without_password_are_unchanged() {
    for url in [
        "postgresql://bob@db/app",
        "postgresql://mig@/app?host=/tmp/x",
        "sqlite:///relative.db",
        "not a url",
    ] {
        assert_eq!(redact_url(url), url);
        assert_eq!(url_password(url), None);
    }
}

#[test]
fn query_password_is_masked() {
    let url = "postgresql://db/app?user=bob&password=hunter2";
    assert_eq!(url_password(url), Some("hunter2"));
    assert_eq!(redact_url(url), "postgresql://db/app?user=bob&password=***");
}

#[test]
fn redact_removes_raw_decoded_and_encoded_forms() {
    let text = "failed for p%40ss, p@ss and p+w%40rd";
    assert_eq!(
        redact(text, Some("p%40ss")),
        "failed for ***, *** and p+w%40rd"
    );
    assert_eq!(
        redact(text, Some("p%2Bw%40rd")),
        "failed for p%40ss, p@ss and ***"
    );
    assert_eq!(redact(text, None), text);
    assert_eq!(redact(text, Some("")), text);
}

#[test]
fn percent_decode_keeps_invalid_escapes() {
    assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
}
