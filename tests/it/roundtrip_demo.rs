//! The demo project (repository root) through the `mig` binary on a private server, with
//! no `DATABASE_URL`: both modes pass, and the JUnit report is well-formed XML with one
//! test case per revision and check.

use std::process::Command;

use crate::support::{repo, Mig};

#[test]
fn demo_passes_in_steps_mode() {
    let run = Mig::new(repo()).args(["roundtrip", "--ephemeral"]).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for revision in [
        "000000000000",
        "251018_initial_baseline",
        "251018_schema_v1_inbox",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(revision)),
            "{revision} not reported:\n{}",
            run.stdout
        );
    }
    for check in ["downgrade to start", "upgrade to end", "naming conventions"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(check) && l.contains(" ok ")),
            "`{check}` not ok:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("roundtrip ok: 0 findings; revisions: 3 ok"),
        "{}",
        run.stdout
    );
    // Progress goes to stderr.
    assert!(
        run.stderr.contains("roundtrip: revision 3 of 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn demo_passes_in_full_mode_and_junit_is_valid_xml() {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("roundtrip.xml");
    let run = Mig::new(repo())
        .args([
            "--format",
            "junit",
            "roundtrip",
            "--mode",
            "full",
            "--output",
            report.to_str().unwrap(),
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // With --output, stdout gets the text summary.
    assert!(
        run.stdout
            .starts_with("mig roundtrip (full) on a private PostgreSQL server"),
        "{}",
        run.stdout
    );
    let xml = std::fs::read_to_string(&report).unwrap();
    let checked = python_check_junit(&report);
    assert_eq!(
        checked.trim(),
        "testsuites tests=4 failures=0 errors=0 skipped=0\n\
         mig.roundtrip.251018_schema_v1_inbox upgrade ok\n\
         mig.roundtrip.251018_schema_v1_inbox downgrade ok\n\
         mig.roundtrip.251018_schema_v1_inbox upgrade again ok\n\
         mig.roundtrip.range naming conventions ok",
        "{xml}"
    );
}

#[test]
fn junit_of_a_leaky_history_carries_the_findings_escaped() {
    let server = crate::support::server_url();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.xml");
    let ini = crate::roundtrip_support::fixtures().join("constraint_collision/alembic.ini");
    let run = Mig::new(repo())
        .args([
            "-c",
            ini.to_str().unwrap(),
            "--url",
            &server,
            "--format",
            "junit",
            "roundtrip",
            "--scratch",
            "-o",
            report.to_str().unwrap(),
        ])
        .run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let checked = python_check_junit(&report);
    assert!(
        checked.contains(
            "mig.roundtrip.0002_constraint_collision downgrade failure: \
             extra constraint public.acct.acct_name_check1"
        ),
        "{checked}"
    );
    // The check definitions contain `<>` and quotes: escaped, and parsed back intact.
    assert!(checked.contains("CHECK (name <> ''::text)"), "{checked}");
}

/// Parses a JUnit file with Python's XML parser and prints its structure: the totals,
/// then `classname name outcome[: message]` per test case (plus the failure text).
fn python_check_junit(path: &std::path::Path) -> String {
    let script = r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1
cases = suites[0].findall("testcase")
assert int(root.get("tests")) == len(cases) == int(suites[0].get("tests"))
print("testsuites tests=%s failures=%s errors=%s skipped=%s" % tuple(root.get(k) for k in ("tests", "failures", "errors", "skipped")))
for case in cases:
    float(case.get("time"))
    outcome = "ok"
    for tag in ("failure", "error", "skipped"):
        node = case.find(tag)
        if node is not None:
            outcome = "%s: %s" % (tag, node.get("message"))
            if node.text:
                outcome += "\n" + node.text
    print(case.get("classname"), case.get("name"), outcome)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 on PATH");
    assert!(
        out.status.success(),
        "not valid JUnit XML: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
