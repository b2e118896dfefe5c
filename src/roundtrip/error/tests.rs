use super::*;

/// The message and every source below it, as an error reporter (anyhow's `{:#}`,
/// miette) prints them.
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

#[test]
fn a_provisioning_cause_is_printed_once() {
    let io = || std::io::Error::other("disk full");
    let errors = [
        ProvisionError::Io {
            action: "create".into(),
            path: "/tmp/x".into(),
            error: io(),
        },
        ProvisionError::Spawn {
            program: "initdb".into(),
            error: io(),
        },
    ];
    for err in errors {
        let err = RoundtripError::from(err);
        assert_eq!(
            chain(&err).matches("disk full").count(),
            1,
            "{}",
            chain(&err)
        );
    }
}
