//! One run checks every revision: after a failed step the verifier reports it, brings a
//! fresh database to the next revision and goes on; the exit code and the first problem
//! stay those of the failure. `--fail-fast` stops at the first failure. Through the
//! `mig` binary on scratch databases of the shared test server.

use std::path::Path;

use crate::roundtrip_support::write_project;
use crate::support;
use crate::support::{Mig, Run};

/// r2's downgrade fails, r4's downgrade leaves its table behind, r3 and r5 are clean.
fn history(dir: &Path) -> std::path::PathBuf {
    write_project(
        dir,
        "",
        &[
            ("r1", "", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("r2", "", "CREATE TABLE b (id int);", "\nDROP TABLE nope;"),
            ("r3", "", "CREATE TABLE c (id int);", "\nDROP TABLE c;"),
            (
                "r4",
                "",
                "CREATE TABLE d (id int);\nCREATE INDEX ix_d ON d (id);",
                "\nDROP INDEX ix_d;",
            ),
            ("r5", "", "CREATE TABLE f (id int);", "\nDROP TABLE f;"),
        ],
    )
}

fn roundtrip(dir: &Path, ini: &Path, extra: &[&str]) -> Run {
    let server = support::server_url();
    let mut args = vec![
        "-q",
        "-c",
        ini.to_str().unwrap(),
        "--url",
        &server,
        "--format",
        "json",
        "roundtrip",
        "--scratch",
    ];
    args.extend_from_slice(extra);
    Mig::new(dir).args(&args).run()
}

/// `revision check status` per check of the JSON report, with finding headlines.
fn outline(run: &Run) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
    let mut lines = Vec::new();
    for check in report["checks"].as_array().expect("checks") {
        lines.push(format!(
            "{} {} {}",
            check["revision"].as_str().unwrap_or("-"),
            check["check"].as_str().unwrap_or("?"),
            check["status"].as_str().unwrap_or("?"),
        ));
        if check["status"] == "skipped" {
            lines.push(format!("  {}", check["reason"].as_str().unwrap_or("?")));
        }
        for finding in check["findings"].as_array().into_iter().flatten() {
            lines.push(format!(
                "  {} {} {}",
                finding["problem"].as_str().unwrap_or("?"),
                finding["kind"].as_str().unwrap_or("?"),
                finding["id"].as_str().unwrap_or("?")
            ));
        }
    }
    lines
}

#[test]
fn a_failed_downgrade_does_not_end_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let ini = history(dir.path());
    let run = roundtrip(dir.path(), &ini, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(outline(&run).join("\n"), @r"
    r1 upgrade ok
    r1 downgrade ok
    r1 upgrade_again ok
    r2 upgrade ok
    r2 downgrade failed
    r3 upgrade ok
    r3 downgrade ok
    r3 upgrade_again ok
    r4 upgrade ok
    r4 downgrade residue
      extra table public.d
    r4 upgrade_again failed
    r5 upgrade ok
    r5 downgrade ok
    r5 upgrade_again ok
    - downgrade_all skipped
      not reached: `r2` downgrade failed
    - upgrade_all skipped
      not reached: `r2` downgrade failed
    ");
    // The first problem is still the one reported.
    assert!(
        run.stderr.contains("FAILED: `r2` downgrade:"),
        "{}",
        run.stderr
    );
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    let ini = history(dir.path());
    let run = roundtrip(dir.path(), &ini, &["--fail-fast"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(outline(&run).join("\n"), @r"
    r1 upgrade ok
    r1 downgrade ok
    r1 upgrade_again ok
    r2 upgrade ok
    r2 downgrade failed
    r3 upgrade skipped
      not reached: `r2` failed
    r4 upgrade skipped
      not reached: `r2` failed
    r5 upgrade skipped
      not reached: `r2` failed
    - downgrade_all skipped
      not reached: `r2` downgrade failed
    - upgrade_all skipped
      not reached: `r2` downgrade failed
    ");
}

#[test]
fn revisions_that_need_one_that_failed_to_apply_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            (
                "a1",
                "-- Revises:",
                "CREATE TABLE a (id int);",
                "\nDROP TABLE a;",
            ),
            (
                "a2",
                "-- Revises: a1",
                "CREATE TABLE a (id int);",
                "\nDROP TABLE a;",
            ),
            (
                "a3",
                "-- Revises: a2",
                "CREATE TABLE c (id int);",
                "\nDROP TABLE c;",
            ),
            (
                "b1",
                "-- Revises:",
                "CREATE TABLE b (id int);",
                "\nDROP TABLE b;",
            ),
        ],
    );
    let run = roundtrip(dir.path(), &ini, &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(outline(&run).join("\n"), @r"
    b1 upgrade ok
    b1 downgrade ok
    b1 upgrade_again ok
    a1 upgrade ok
    a1 downgrade ok
    a1 upgrade_again ok
    a2 upgrade failed
    a3 upgrade skipped
      not reached: `a2` failed
    - downgrade_all skipped
      not reached: `a2` upgrade failed
    - upgrade_all skipped
      not reached: `a2` upgrade failed
    ");
}

#[test]
fn sqlite_projects_go_on_with_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let ini = history(dir.path());
    let text = std::fs::read_to_string(&ini).unwrap();
    std::fs::write(
        &ini,
        text.replace("dialect = postgresql", "dialect = sqlite"),
    )
    .unwrap();
    let run = Mig::new(dir.path())
        .args([
            "-q",
            "-c",
            ini.to_str().unwrap(),
            "--format",
            "json",
            "roundtrip",
        ])
        .run();
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let shown = outline(&run);
    assert!(
        shown.iter().any(|l| l == "r5 upgrade_again ok"),
        "{}",
        shown.join("\n")
    );
    assert!(
        shown.iter().any(|l| l == "  extra table d"),
        "{}",
        shown.join("\n")
    );
}
