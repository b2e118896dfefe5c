use super::*;
use crate::url::DatabaseUrl;

#[test]
fn debug_hides_the_value() {
    let secret = Secret::new("hunter2");
    assert_eq!(format!("{secret:?}"), "***");
    assert_eq!(format!("{secret:#?}"), "***");
    assert_eq!(format!("{:?}", Some(&secret)), "Some(***)");
    assert_eq!(secret.expose(), "hunter2");
}

/// A password with bytes that every encoding changes: non-ASCII, a space, `@`, `/`.
const TRICKY: &str = "pä ss@w/rd";

/// Whether `out` shows [`TRICKY`] in any form: raw, percent-encoded (upper- or
/// lower-case hex, `%20` or `+` for the space), or as the value of a `password=`.
fn leaks(out: &str) -> bool {
    let upper = "p%C3%A4%20ss%40w%2Frd";
    let forms = [
        TRICKY.to_string(),
        upper.to_string(),
        upper.to_lowercase(),
        upper.replace("%20", "+"),
        upper.to_lowercase().replace("%20", "+"),
    ];
    let lower = out.to_ascii_lowercase();
    let shown_values = lower
        .match_indices("password=")
        .map(|(at, key)| &out[at + key.len()..])
        .any(|value| {
            !value.starts_with("***")
                && value.starts_with(|c: char| c.is_alphanumeric() || c == '%')
        });
    shown_values || forms.iter().any(|form| out.contains(form.as_str()))
}

/// The same database's URL with [`TRICKY`] written each way a user may write it.
fn tricky_urls() -> Vec<String> {
    vec![
        "postgresql://u:pä ss@w/rd@h:5432/db?sslmode=require".to_string(),
        "postgresql+psycopg2://u:p%C3%A4%20ss%40w%2Frd@h/db".to_string(),
        "postgres://u@h/db?sslmode=require&password=p%C3%A4+ss%40w%2Frd".to_string(),
        "mysql+pymysql://u:p%c3%a4%20ss%40w%2frd@h/db?PASSWORD=p%C3%A4+ss%40w%2Frd".to_string(),
    ]
}

#[test]
fn the_url_shows_no_form_of_its_password() {
    for text in tricky_urls() {
        let url = DatabaseUrl::parse(&text).unwrap();
        assert_eq!(url.password().map(Secret::expose), Some(TRICKY), "{text}");
        let scratch = url.with_database("scratch");
        let outputs = [
            format!("{url}"),
            format!("{url:?}"),
            format!("{url:#?}"),
            format!("{:?}", url.password()),
            format!("{:?}", url.query()),
            url.normalized(),
            serde_json::to_string(&url).unwrap(),
            format!("{scratch} {scratch:?}"),
            format!("{:?}", url.without_password()),
            url.without_password().to_sqlx_url(),
        ];
        for out in outputs {
            assert!(!leaks(&out), "{text} leaked in {out}");
        }
        assert!(leaks(&url.to_sqlx_url()), "the connectors get it: {text}");
    }
}

#[test]
fn no_struct_holding_a_url_prints_its_password() {
    for text in tricky_urls() {
        let config = crate::config::Config::with_defaults("/p/alembic.ini").with_url(&text);
        let mut options = crate::config::LoadOptions::new("/p", Default::default());
        options.url = Some(text.clone());
        let url = DatabaseUrl::parse(&text).unwrap();
        let attempt = crate::db::diagnose::Attempt {
            target: &url.to_string(),
            password: url.password(),
            ..Default::default()
        };
        let refused = sqlx::Error::Configuration(format!("bad URL {}", url.to_sqlx_url()).into());
        let diagnosed = crate::db::ConnectError::from_sqlx(&attempt, &refused);
        let scrubber = crate::runbook::Scrubber::new(
            std::path::Path::new("/p"),
            url.password().cloned().into_iter().collect(),
            false,
        );
        let outputs = [
            format!("{config:?}"),
            format!("{options:?}"),
            format!("{attempt:?}"),
            format!("{diagnosed} {diagnosed:?}"),
            format!("{:?}", config.database_url()),
            format!("{scrubber:?}"),
            scrubber.apply(&format!("{text} {}", url.to_sqlx_url())),
        ];
        for out in outputs {
            assert!(!leaks(&out), "{text} leaked in {out}");
        }
    }
}
