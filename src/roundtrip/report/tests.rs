//! The report's renderings (text, JUnit, JSON) and its exit code, on a hand-made report.

use std::time::Duration;

use super::{Check, CheckKind, Report, Status};
use crate::catalog::{Kind, Value};
use crate::dialect::Dialect;
use crate::diff::FieldChange;
use crate::roundtrip::finding::{Finding, Problem};
use crate::roundtrip::{junit, keeps, text, Mode};

fn finding(problem: Problem, kind: Kind, id: &str) -> Finding {
    Finding {
        problem,
        kind,
        id: id.to_string(),
        fields: Vec::new(),
        detail: None,
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn sample() -> Report {
    let changed = Finding {
        fields: vec![FieldChange {
            field: "definition".into(),
            before: Some(Value::Text("CHECK (a <> '')".into())),
            after: Some(Value::Text("CHECK (a <> '' AND b < 3)".into())),
            cosmetic: None,
            diff: None,
        }],
        ..finding(Problem::Changed, Kind::Constraint, "public.t.t_a_check")
    };
    let checks = vec![
        Check::ran(Some("r1"), CheckKind::Upgrade, vec![], ms(12)),
        Check::ran(
            Some("r1"),
            CheckKind::Downgrade,
            vec![
                finding(Problem::Extra, Kind::Index, "public.ix_t_a"),
                changed,
            ],
            ms(8),
        ),
        Check::ran(Some("r1"), CheckKind::UpgradeAgain, vec![], ms(9)),
        Check::ran(Some("r2"), CheckKind::Upgrade, vec![], ms(5)),
        Check::skipped(
            Some("r2"),
            CheckKind::Downgrade,
            "`r2` is marked irreversible: its downgrade cannot run".into(),
        ),
        Check::failed(
            None,
            CheckKind::DowngradeAll,
            "revision `r1` failed: cannot drop table t because <other objects> depend on it\n  hint: \"CASCADE\"".into(),
            ms(3),
        ),
    ];
    let messages = |id: &str| format!("message of {id}");
    Report::new(
        Mode::Steps,
        Dialect::Postgresql,
        "a private PostgreSQL server".into(),
        &messages,
        checks,
        ms(1234),
    )
}

#[test]
fn text_lists_checks_per_revision_and_names_the_revision_on_each_finding() {
    insta::assert_snapshot!(text::render(&sample(), false), @r#"
    mig roundtrip (steps) on a private PostgreSQL server

    r1  message of r1
      upgrade             ok
      downgrade           residue
        `r1` downgrade: extra index public.ix_t_a
        `r1` downgrade: changed constraint public.t.t_a_check
          definition: CHECK (a <> '') -> CHECK (a <> '' AND b < 3)
      upgrade again       ok

    r2  message of r2
      upgrade             ok
      downgrade           skipped
        `r2` is marked irreversible: its downgrade cannot run

    whole range
      downgrade to start  failed
        revision `r1` failed: cannot drop table t because <other objects> depend on it
          hint: "CASCADE"

    roundtrip residue: 2 findings, 1 failed check; revisions: 0 ok, 1 residue, 0 failed, 1 skipped
    "#);
    let timed = text::render(&sample(), true);
    assert!(
        timed.contains("  downgrade           residue  8 ms\n"),
        "{timed}"
    );
    assert!(timed.ends_with("(1.23 s)\n"), "{timed}");
}

#[test]
fn the_first_problem_decides_status_and_exit_code() {
    let report = sample();
    assert_eq!(report.status, Status::Residue);
    assert_eq!(report.exit_code(), 1);
    let failed_first = Report::new(
        Mode::Full,
        Dialect::Sqlite,
        "x".into(),
        &|_| String::new(),
        vec![
            Check::failed(Some("a"), CheckKind::Upgrade, "boom".into(), ms(1)),
            Check::ran(
                None,
                CheckKind::Naming,
                vec![finding(Problem::Naming, Kind::Index, "ix")],
                ms(1),
            ),
        ],
        ms(2),
    );
    assert_eq!(failed_first.exit_code(), 3);
    let skipped_only = Report::new(
        Mode::Steps,
        Dialect::Sqlite,
        "x".into(),
        &|_| String::new(),
        vec![Check::skipped(
            Some("a"),
            CheckKind::Downgrade,
            "irreversible".into(),
        )],
        ms(2),
    );
    assert_eq!(
        (skipped_only.status, skipped_only.exit_code()),
        (Status::Ok, 0)
    );
    assert_eq!(skipped_only.revisions[0].status, Status::Skipped);
}

#[test]
fn junit_has_one_case_per_check_with_escaped_messages() {
    insta::assert_snapshot!(junit::render(&sample()), @r#"
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="mig roundtrip" tests="6" failures="1" errors="1" skipped="1" time="1.234">
      <testsuite name="mig roundtrip (steps)" tests="6" failures="1" errors="1" skipped="1" time="1.234">
        <properties>
          <property name="dialect" value="postgresql"/>
          <property name="database" value="a private PostgreSQL server"/>
        </properties>
        <testcase classname="mig.roundtrip.r1" name="upgrade" time="0.012"/>
        <testcase classname="mig.roundtrip.r1" name="downgrade" time="0.008">
          <failure type="residue" message="extra index public.ix_t_a; changed constraint public.t.t_a_check">extra index public.ix_t_a
    changed constraint public.t.t_a_check
      definition: CHECK (a &lt;&gt; '') -&gt; CHECK (a &lt;&gt; '' AND b &lt; 3)
    </failure>
        </testcase>
        <testcase classname="mig.roundtrip.r1" name="upgrade again" time="0.009"/>
        <testcase classname="mig.roundtrip.r2" name="upgrade" time="0.005"/>
        <testcase classname="mig.roundtrip.r2" name="downgrade" time="0.000">
          <skipped message="`r2` is marked irreversible: its downgrade cannot run"/>
        </testcase>
        <testcase classname="mig.roundtrip.range" name="downgrade to start" time="0.003">
          <error type="failed" message="revision `r1` failed: cannot drop table t because &lt;other objects&gt; depend on it">revision `r1` failed: cannot drop table t because &lt;other objects&gt; depend on it
      hint: "CASCADE"</error>
        </testcase>
      </testsuite>
    </testsuites>
    "#);
}

#[test]
fn json_names_checks_and_problems_in_snake_case() {
    let json = sample().to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["status"], "residue");
    assert_eq!(value["checks"][2]["check"], "upgrade_again");
    assert_eq!(value["checks"][1]["findings"][0]["problem"], "extra");
    assert_eq!(value["checks"][1]["findings"][0]["kind"], "index");
    assert_eq!(value["checks"][4]["status"], "skipped");
    assert_eq!(value["revisions"][1]["status"], "skipped");
    assert_eq!(value["duration_ms"], 1234);
}

#[test]
fn keep_and_naming_findings_read_as_sentences() {
    let rule = keeps::KeepRule::new(&crate::revision::Keep {
        kind: "schema".into(),
        name: "zero_admin".into(),
    });
    assert_eq!(
        Finding::keep_not_left(&rule).headline(),
        "declared keep not left behind: schema zero_admin"
    );
}
