use std::path::PathBuf;

use super::*;
use crate::diagnostics::{Diagnostic, Location, Rule};

const RULES: &[Rule] = &[Rule {
    id: "t/residue",
    name: "Residue",
    summary: "left behind, or not",
    help: "undo it",
    level: Level::Error,
}];

#[test]
fn values_are_escaped_as_github_documents() {
    assert_eq!(data("100%\r\nnext: a, b"), "100%25%0D%0Anext: a, b");
    assert_eq!(property("100%\r\nnext: a, b"), "100%25%0D%0Anext%3A a%2C b");
}

#[test]
fn one_annotation_per_finding_then_the_verdict() {
    let finding = |level, message: &str, location| Diagnostic {
        rule: "t/residue",
        level,
        message: message.into(),
        location,
    };
    let findings = Diagnostics {
        command: "drift",
        rules: RULES,
        findings: vec![
            finding(
                Level::Error,
                "`r1` downgrade: changed column t.a\n  default: 1 -> 2\n",
                Some(Location {
                    path: PathBuf::from("versions/r,1.sql"),
                    line: Some(9),
                }),
            ),
            finding(
                Level::Note,
                "skipped",
                Some(Location {
                    path: PathBuf::from("versions/r2.sql"),
                    line: None,
                }),
            ),
            finding(Level::Error, "extra index public.ix: 5% of it", None),
        ],
        base: PathBuf::from("/p"),
        verdict: "DRIFT: 3 findings".into(),
    };
    insta::assert_snapshot!(render(&findings), @r"
    ::error file=versions/r%2C1.sql,line=9,title=mig drift%3A left behind%2C or not::`r1` downgrade: changed column t.a%0A  default: 1 -> 2
    ::notice file=versions/r2.sql,title=mig drift%3A left behind%2C or not::skipped
    ::error title=mig drift%3A left behind%2C or not::extra index public.ix: 5%25 of it
    DRIFT: 3 findings
    ");
}
