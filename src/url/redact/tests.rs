use super::*;

#[test]
fn redacts_raw_and_encoded_secrets() {
    let text = "a p@ss w b p%40ss%20w c p%40ss+w d p%40ss w e p@ss%20w-ok";
    assert_eq!(
        redact(text, &["p@ss w"]),
        "a *** b *** c *** d *** e p@ss%20w-ok"
    );
    assert_eq!(redact("x%2fy and x/y", &["x/y"]), "*** and ***");
    assert_eq!(redact("nothing to hide", &["", "zz"]), "nothing to hide");
}

#[test]
fn redacts_urls_in_free_text() {
    let text = "connect postgresql://u:s3cr%40t@db:5432/app?sslmode=require failed; \
                    also `mysql+pymysql://root:p@ss@h/db`, 'sqlite:////tmp/a@b.db' \
                    and host=h password=hunter2 user=u";
    assert_eq!(
        redact(text, &[]),
        "connect postgresql://u:***@db:5432/app?sslmode=require failed; \
             also `mysql+pymysql://root:***@h/db`, 'sqlite:////tmp/a@b.db' \
             and host=h password=*** user=u"
    );
}

#[test]
fn redacts_a_non_numeric_port_left_by_a_missing_host() {
    assert_eq!(
        redact_url("postgresql://user:secret/db"),
        "postgresql://user:***/db"
    );
    assert_eq!(
        redact_url("postgresql://h:5432/db"),
        "postgresql://h:5432/db"
    );
    assert_eq!(
        redact("at `postgresql://h:5432`.", &[]),
        "at `postgresql://h:5432`."
    );
    assert_eq!(
        redact_url("postgresql://[::1]:5432/db"),
        "postgresql://[::1]:5432/db"
    );
}

#[test]
fn shows_a_bad_port_after_the_userinfo() {
    assert_eq!(
        redact_url("postgresql://u:pw@localhost:99x99/db"),
        "postgresql://u:***@localhost:99x99/db"
    );
    assert_eq!(
        redact_url("postgresql://u@localhost:54e2/db"),
        "postgresql://u@localhost:54e2/db"
    );
    // Unless the password is in it.
    assert_eq!(
        redact_url("postgresql://u:pw@localhost:pw/db"),
        "postgresql://u:***@localhost:***/db"
    );
}

#[test]
fn redacts_schemeless_userinfo_and_query_passwords() {
    assert_eq!(redact_url("user:secret@host/db"), "user:***@host/db");
    assert_eq!(
        redact_url("postgresql://h/db?user=u&PASSWORD=x&sslmode=require"),
        "postgresql://h/db?user=u&PASSWORD=***&sslmode=require"
    );
    assert_eq!(
        redact_url("'postgresql://u:pw@h/db'"),
        "'postgresql://u:***@h/db'"
    );
}

#[test]
fn masks_the_userinfo_password_whole() {
    assert_eq!(
        redact_url("postgresql://bob:s3cret@db.example:5432/app?sslmode=require"),
        "postgresql://bob:***@db.example:5432/app?sslmode=require"
    );
    assert_eq!(
        redact_url("postgresql://bob:p@ss@word@db/app"),
        "postgresql://bob:***@db/app"
    );
    assert_eq!(
        redact_url("postgresql://db/app?user=bob&password=hunter2"),
        "postgresql://db/app?user=bob&password=***"
    );
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
        assert_eq!(redact(url, &[]), url);
    }
}

#[test]
fn free_text_loses_known_and_unknown_passwords_alike() {
    // A driver's message: the known password decoded and encoded, and a URL with a
    // password mig was never told.
    let text = "failed for p%40ss, p@ss and p+w%40rd at mysql://root:other@h/db";
    assert_eq!(
        redact(text, &["p@ss"]),
        "failed for ***, *** and p+w%40rd at mysql://root:***@h/db"
    );
    assert_eq!(
        redact(text, &["p+w@rd"]),
        "failed for p%40ss, p@ss and *** at mysql://root:***@h/db"
    );
    assert_eq!(redact("nothing to hide", &[]), "nothing to hide");
}
