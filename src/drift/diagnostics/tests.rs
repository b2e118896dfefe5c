use std::path::Path;
use std::time::Duration;

use super::*;
use crate::catalog::{Kind, Value};
use crate::diff::FieldChange;
use crate::roundtrip::Finding as Object;

fn object(problem: Problem, kind: Kind, id: &str) -> Object {
    Object {
        problem,
        kind,
        id: id.into(),
        fields: Vec::new(),
        detail: None,
    }
}

#[test]
fn each_object_is_an_error_of_its_rule_without_a_file() {
    let changed = Object {
        fields: vec![FieldChange {
            field: "default".into(),
            before: Some(Value::Text("1".into())),
            after: Some(Value::Text("2".into())),
            cosmetic: None,
            diff: None,
        }],
        ..object(Problem::Changed, Kind::Column, "public.t.a")
    };
    let report = DriftReport {
        database: "postgresql://app@db/app".into(),
        revisions: vec!["r1".into()],
        findings: vec![
            object(Problem::Extra, Kind::Index, "public.ix_hand"),
            object(Problem::Missing, Kind::Column, "public.t.note"),
            changed,
        ],
        duration: Duration::ZERO,
    };
    let findings = report.diagnostics(Path::new("/p"));
    assert_eq!(findings.command, "drift");
    assert_eq!(findings.base, Path::new("/p"));
    assert!(
        findings.verdict.starts_with("DRIFT: 3 findings"),
        "{}",
        findings.verdict
    );
    let seen: Vec<(&str, Level, &str, bool)> = findings
        .findings
        .iter()
        .map(|f| (f.rule, f.level, f.message.as_str(), f.location.is_none()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "drift/extra",
                Level::Error,
                "extra index public.ix_hand in `postgresql://app@db/app`: not made by its revisions",
                true
            ),
            (
                "drift/missing",
                Level::Error,
                "missing column public.t.note in `postgresql://app@db/app`: made by its revisions, not there",
                true
            ),
            (
                "drift/changed",
                Level::Error,
                "changed column public.t.a in `postgresql://app@db/app`: differs from what its revisions make\n  default: 1 -> 2",
                true
            ),
        ]
    );
    let clean = DriftReport {
        findings: Vec::new(),
        ..report
    };
    let findings = clean.diagnostics(Path::new("/p"));
    assert!(findings.findings.is_empty());
    assert_eq!(
        findings.verdict,
        "no drift: the database is what its revisions make"
    );
}
