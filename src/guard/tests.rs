use super::*;

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn production_signals() {
    assert_eq!(environment_signal(env(&[])), None);
    assert_eq!(environment_signal(env(&[("MIG_ENV", "staging")])), None);
    assert_eq!(
        environment_signal(env(&[("MIG_ENV", "Production")])).as_deref(),
        Some("MIG_ENV=production")
    );
    assert_eq!(
        environment_signal(env(&[("RAILWAY_ENVIRONMENT", "production")])).as_deref(),
        Some("RAILWAY_ENVIRONMENT=production")
    );
    assert_eq!(
        environment_signal(env(&[("FLY_APP_NAME", "aquarius")])).as_deref(),
        Some("FLY_APP_NAME=aquarius")
    );
    assert_eq!(environment_signal(env(&[("FLY_APP_NAME", " ")])), None);
}
