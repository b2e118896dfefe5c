use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::catalog::Kind;
use crate::diagnostics::Diagnostics;
use crate::dialect::Dialect;
use crate::revision::graph::RevisionMap;
use crate::revision::parse::parse_revision;
use crate::roundtrip::{Finding, Mode};

fn map() -> RevisionMap {
    let files = [
        (
            "/p/versions/r1.sql",
            "-- one\n--\n-- Revision ID: r1\n-- Revises:\n\n-- migrate:upgrade\n\
             CREATE TABLE t (a int);\nCREATE INDEX ix_t_a ON t (a);\n\n\
             -- migrate:downgrade\nDROP TABLE t;\n",
        ),
        (
            "/p/versions/r2.sql",
            "-- two\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- migrate:upgrade\n\
             ALTER TABLE t ADD b int;\n\n-- migrate:downgrade irreversible\n",
        ),
    ];
    let revisions = files
        .iter()
        .map(|(path, text)| parse_revision(Path::new(path), text).expect("parse"))
        .collect();
    RevisionMap::new(revisions).expect("graph")
}

fn object(problem: Problem, kind: Kind, id: &str) -> Finding {
    Finding {
        problem,
        kind,
        id: id.into(),
        fields: Vec::new(),
        detail: None,
    }
}

fn report(checks: Vec<Check>) -> Report {
    Report::new(
        Mode::Steps,
        Dialect::Postgresql,
        "a private PostgreSQL server".into(),
        &|id: &str| format!("message of {id}"),
        checks,
        Duration::from_millis(5),
    )
}

/// Where a finding points: the file and line.
type At = Option<(PathBuf, Option<usize>)>;

fn located(findings: &Diagnostics) -> Vec<(&str, Level, String, At)> {
    findings
        .findings
        .iter()
        .map(|f| {
            (
                f.rule,
                f.level,
                f.message.clone(),
                f.location.as_ref().map(|l| (l.path.clone(), l.line)),
            )
        })
        .collect()
}

fn file(line: usize, name: &str) -> At {
    Some((PathBuf::from(format!("versions/{name}")), Some(line)))
}

#[test]
fn revision_findings_point_at_their_section_or_failing_statement() {
    let map = map();
    let sources = Sources::new(Path::new("/p"), &map);
    let ms = Duration::from_millis;
    let report = report(vec![
        Check::ran(Some("r1"), CheckKind::Upgrade, vec![], ms(1)),
        Check::ran(
            Some("r1"),
            CheckKind::Downgrade,
            vec![object(Problem::Extra, Kind::Index, "public.ix_t_a")],
            ms(1),
        ),
        Check::ran(
            Some("r1"),
            CheckKind::UpgradeAgain,
            vec![object(Problem::Missing, Kind::Table, "public.t")],
            ms(1),
        ),
        Check::failed(
            Some("r2"),
            CheckKind::Upgrade,
            "revision `r2` failed at `/p/versions/r2.sql` line 7, column 1: column \"b\" \
             already exists"
                .into(),
            ms(1),
        ),
        Check::skipped(
            Some("r2"),
            CheckKind::Downgrade,
            "`r2` is marked irreversible".into(),
        ),
        Check::failed(None, CheckKind::DowngradeAll, "cannot drop t".into(), ms(1)),
        Check::ran(
            None,
            CheckKind::Naming,
            vec![Finding {
                detail: Some("`t_pkey`, expected `pk_t`".into()),
                ..object(Problem::Naming, Kind::Constraint, "public.t.t_pkey")
            }],
            ms(1),
        ),
    ]);
    let findings = report.diagnostics(&sources);
    assert_eq!(findings.command, "roundtrip");
    assert_eq!(findings.base, Path::new("/p"));
    assert_eq!(
        findings.verdict,
        "roundtrip residue: 3 findings, 2 failed checks; revisions: 0 ok, 1 residue, 1 failed, 0 skipped"
    );
    assert_eq!(
        located(&findings),
        [
            (
                "roundtrip/downgrade-residue",
                Level::Error,
                "`r1` downgrade: extra index public.ix_t_a".to_string(),
                file(11, "r1.sql")
            ),
            (
                "roundtrip/upgrade-again-differs",
                Level::Error,
                "`r1` upgrade again: missing table public.t".to_string(),
                file(7, "r1.sql")
            ),
            (
                "roundtrip/step-failed",
                Level::Error,
                "`r2` upgrade failed: revision `r2` failed at `/p/versions/r2.sql` line 7, \
                 column 1: column \"b\" already exists"
                    .to_string(),
                file(7, "r2.sql")
            ),
            (
                "roundtrip/not-checked",
                Level::Note,
                "`r2` downgrade skipped: `r2` is marked irreversible".to_string(),
                file(9, "r2.sql")
            ),
            (
                "roundtrip/step-failed",
                Level::Error,
                "downgrade to start failed: cannot drop t".to_string(),
                None
            ),
            (
                "roundtrip/naming-convention",
                Level::Error,
                "naming conventions: constraint public.t.t_pkey: `t_pkey`, expected `pk_t`"
                    .to_string(),
                None
            ),
        ]
    );
    // Every rule a finding names is one the run lists.
    for finding in &findings.findings {
        assert!(findings.rule(finding.rule).is_some(), "{}", finding.rule);
    }
}

#[test]
fn a_declared_keep_not_left_has_its_own_rule_and_a_clean_report_has_no_findings() {
    let map = map();
    let sources = Sources::new(Path::new("/p"), &map);
    let keep = report(vec![Check::ran(
        Some("r1"),
        CheckKind::Downgrade,
        vec![Finding {
            detail: Some("Downgrade Keeps: schema s".into()),
            ..object(Problem::KeepNotLeft, Kind::Schema, "s")
        }],
        Duration::ZERO,
    )]);
    let findings = keep.diagnostics(&sources);
    assert_eq!(
        findings.findings[0].rule,
        "roundtrip/declared-keep-not-left"
    );
    let clean = report(vec![Check::ran(
        Some("r1"),
        CheckKind::Upgrade,
        vec![],
        Duration::ZERO,
    )]);
    assert!(clean.diagnostics(&sources).findings.is_empty());
}
