//! The fixture library through the `mig` binary: for each residue class a leaky history
//! (its last downgrade forgets one thing) exits 1 and names the object and the revision;
//! the matching clean history exits 0. Every case runs on a scratch database of the
//! shared test server (`--scratch --url`), cases in parallel.

use crate::roundtrip_support::{expected, fixtures, names};
use crate::support;
use crate::support::Mig;

/// Runs one case: the leaky history, then the clean one.
fn case(name: &str) {
    let (revision, finding) = expected(name);
    let server = support::server_url();
    let ini = fixtures().join(name).join("alembic.ini");
    let ini = ini.to_str().expect("utf-8 path");
    let run = |section: &str| {
        Mig::new(fixtures())
            .args([
                "-q",
                "-c",
                ini,
                "-n",
                section,
                "--url",
                &server,
                "roundtrip",
                "--scratch",
            ])
            .run()
    };
    let leaky = run("alembic");
    assert_eq!(
        leaky.code, 1,
        "leaky `{name}` should find residue\n{}{}",
        leaky.stdout, leaky.stderr
    );
    assert!(
        names(&leaky.stdout, &revision, &finding),
        "leaky `{name}`: no line names `{revision}` and `{finding}`:\n{}",
        leaky.stdout
    );
    let clean = run("clean");
    assert_eq!(
        clean.code, 0,
        "clean `{name}` should pass\n{}{}",
        clean.stdout, clean.stderr
    );
    assert!(
        clean.stdout.contains("roundtrip ok: 0 findings"),
        "{}",
        clean.stdout
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                case(stringify!($name));
            }
        )*
    };
}

cases!(
    table,
    column,
    column_readded,
    index,
    unique_constraint,
    check_constraint,
    foreign_key,
    not_null,
    default,
    sequence,
    function,
    trigger,
    enum_type,
    enum_label,
    view,
    materialized_view,
    extension,
    schema,
    comment,
    grant,
    row_level_security,
    constraint_collision,
    invalid_index,
);

#[test]
fn every_fixture_case_has_a_test() {
    let listing = std::fs::read_to_string(fixtures().join("cases.txt")).unwrap();
    let source = include_str!("roundtrip.rs");
    for name in listing.lines().filter_map(|l| l.split('\t').next()) {
        assert!(
            source.contains(&format!("    {name},\n")),
            "fixture case `{name}` has no test"
        );
    }
}
