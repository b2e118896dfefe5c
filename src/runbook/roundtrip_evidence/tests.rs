use std::time::Duration;

use super::*;
use crate::catalog::Kind;
use crate::dialect::Dialect;
use crate::roundtrip::{Finding, Problem};

#[test]
fn statuses_and_details() {
    let residue = Finding {
        problem: Problem::Extra,
        kind: Kind::Table,
        id: "main.audit_log".into(),
        fields: vec![],
        detail: None,
    };
    let took = Duration::from_millis(7);
    let checks = vec![
        roundtrip::Check::ran(Some("a"), CheckKind::Upgrade, vec![], took),
        roundtrip::Check::ran(Some("a"), CheckKind::Downgrade, vec![residue], took),
        roundtrip::Check::failed(Some("b"), CheckKind::Upgrade, "boom".into(), took),
        roundtrip::Check::skipped(None, CheckKind::DowngradeAll, "not reached".into()),
        roundtrip::Check::ran(None, CheckKind::Naming, vec![], took),
    ];
    let report = Report::new(
        roundtrip::Mode::Steps,
        Dialect::Sqlite,
        "a temporary SQLite file".into(),
        &|id| format!("{id} message"),
        checks,
        took,
    );
    let (checks, revisions) = from_report(&report);
    let lines: Vec<String> = checks
        .iter()
        .map(|c| format!("{} {}: {}", c.status.icon(), c.title, c.detail))
        .collect();
    insta::assert_snapshot!(lines.join("\n"), @r"
        ✅ `a`: upgrade: applied
        ❌ `a`: downgrade: extra table main.audit_log
        ❌ `b`: upgrade: boom
        ⏭ whole range: downgrade to start: not reached
        ");
    let summary: Vec<String> = revisions
        .iter()
        .map(|r| format!("{} {} {}", r.revision, r.verdict, r.status.icon()))
        .collect();
    assert_eq!(summary, ["a residue ❌", "b failed ❌"]);
    assert!(procedure(&report).contains("on a temporary SQLite file"));
}

#[test]
fn stage_judgements_name_what_was_kept_or_found() {
    let finding = |problem, id: &str, fields| Finding {
        problem,
        kind: Kind::Table,
        id: id.into(),
        fields,
        detail: None,
    };
    let line = |c: Evidence| format!("{} {}: {}", c.status.icon(), c.title, c.detail);
    let kept = Residue {
        findings: vec![],
        kept: vec!["schema zero_admin".into(), "extension pgcrypto".into()],
    };
    assert_eq!(
        line(residue_check("down", &kept)),
        "✅ down: left behind as declared: schema zero_admin, extension pgcrypto"
    );
    assert_eq!(
        line(residue_check("down", &Residue::default())),
        "✅ down: nothing left behind"
    );
    let changed = crate::diff::FieldChange {
        field: "row_security".into(),
        before: Some(crate::catalog::Value::Bool(false)),
        after: Some(crate::catalog::Value::Bool(true)),
        cosmetic: None,
        diff: None,
    };
    let residue = Residue {
        findings: vec![
            finding(Problem::Extra, "public.audit_log", vec![]),
            finding(Problem::Changed, "public.users", vec![changed]),
        ],
        kept: vec!["schema zero_admin".into()],
    };
    assert_eq!(
        line(residue_check("down", &residue)),
        "❌ down: extra table public.audit_log; changed table public.users; \
             row_security: false -> true"
    );
    assert_eq!(
        line(again_check("up", 97, &[])),
        "✅ up: 97 objects, no difference"
    );
    let missing = [finding(Problem::Missing, "public.t", vec![])];
    assert_eq!(
        line(again_check("up", 97, &missing)),
        "❌ up: missing table public.t"
    );
}
