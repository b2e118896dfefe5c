//! `--format sarif` and `--format github` through the binary: the roundtrip's findings
//! (residue of a downgrade at the revision's downgrade section, a failing statement at
//! its own line) and drift's (no file), as SARIF checked against the real SARIF 2.1.0
//! schema and Microsoft's validator, and as GitHub workflow annotations; commands other
//! than the verifiers refuse the formats.

use std::path::Path;

use serde_json::Value;

use crate::roundtrip_support::write_project;
use crate::runbook::fixture;
use crate::sarif_validator::{assert_valid, problems};
use crate::support;
use crate::support::{Mig, Run};

/// `r1` makes a table, `r2` an index and a table its downgrade forgets, `r3` fails at
/// its second statement.
fn project(dir: &Path) -> std::path::PathBuf {
    write_project(
        dir,
        "",
        &[
            ("r1", "", "CREATE TABLE t (a int);", "\nDROP TABLE t;"),
            (
                "r2",
                "",
                "CREATE INDEX ix_t_a ON t (a);\nCREATE TABLE forgotten (b int);",
                "\nDROP INDEX ix_t_a;",
            ),
            (
                "r3",
                "",
                "CREATE TABLE u (a int);\n\nINSERT INTO nowhere VALUES (1);",
                "\nDROP TABLE u;",
            ),
        ],
    )
}

/// `mig -q -c INI --url URL --format FORMAT roundtrip --scratch` on a scratch database.
fn roundtrip(dir: &Path, ini: &Path, test: &str, format: &str) -> Run {
    let db = support::pg_db(test);
    Mig::new(dir)
        .args([
            "-q",
            "-c",
            ini.to_str().unwrap(),
            "--url",
            db.url(),
            "--format",
            format,
            "roundtrip",
            "--scratch",
        ])
        .run()
}

/// `(ruleId, level, uri, startLine)` of each result.
fn results(log: &Value) -> Vec<(String, String, Option<String>, Option<u64>)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["level"].as_str().unwrap_or_default().to_string(),
                physical["artifactLocation"]["uri"]
                    .as_str()
                    .map(str::to_string),
                physical["region"]["startLine"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn roundtrip_sarif_points_at_the_downgrade_and_the_failing_statement() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let run = roundtrip(dir.path(), &ini, "sarif_roundtrip", "sarif");
    // The first problem decides: residue.
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF on stdout");
    let found = results(&log);
    let uri = |name: &str| Some(format!("versions/{name}.sql"));
    // r2's downgrade section starts at line 11 (`DROP INDEX ix_t_a;`), r3's second
    // statement is at line 9.
    assert!(
        found.contains(&(
            "roundtrip/downgrade-residue".into(),
            "error".into(),
            uri("r2"),
            Some(11)
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "roundtrip/step-failed".into(),
            "error".into(),
            uri("r3"),
            Some(9)
        )),
        "{found:#?}"
    );
    let text = std::fs::read_to_string(dir.path().join("versions/r3.sql")).unwrap();
    assert_eq!(text.lines().nth(8), Some("INSERT INTO nowhere VALUES (1);"));
    let text = std::fs::read_to_string(dir.path().join("versions/r2.sql")).unwrap();
    assert_eq!(text.lines().nth(10), Some("DROP INDEX ix_t_a;"));
    let residue = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "roundtrip/downgrade-residue")
        .unwrap();
    assert_eq!(
        residue["message"]["text"],
        "`r2` downgrade: extra table public.forgotten"
    );
    let base = &log["runs"][0]["originalUriBaseIds"]["PROJECTROOT"]["uri"];
    let canonical = format!("file://{}/", dir.path().display());
    assert_eq!(base.as_str(), Some(canonical.as_str()));
    assert_valid(&run.stdout);

    // The validators do refuse what the schema forbids: a level SARIF does not have,
    // a line 0, a property of its own.
    let bad = run
        .stdout
        .replacen("\"level\": \"error\"", "\"level\": \"fatal\"", 1)
        .replacen("\"startLine\": 11", "\"startLine\": 0", 1)
        .replacen(
            "\"version\": \"2.1.0\",",
            "\"version\": \"2.1.0\", \"mine\": 1,",
            1,
        );
    let problems = problems(&bad).join("\n");
    for part in [
        "'fatal' is not one of",
        "0 is less than the minimum of 1",
        "'mine' was unexpected",
    ] {
        assert!(problems.contains(part), "{part}:\n{problems}");
    }
}

#[test]
fn roundtrip_github_annotations_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let ini = project(dir.path());
    let run = roundtrip(dir.path(), &ini, "github_roundtrip", "github");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(
            &"::error file=versions/r2.sql,line=11,title=mig roundtrip%3A A downgrade does \
              not restore the catalog it started from::`r2` downgrade: extra table \
              public.forgotten"
        ),
        "{}",
        run.stdout
    );
    let failed = lines
        .iter()
        .find(|l| l.starts_with("::error file=versions/r3.sql,line=9,"))
        .unwrap_or_else(|| panic!("no annotation at r3 line 9:\n{}", run.stdout));
    assert!(
        failed.contains("::`r3` upgrade failed: revision `r3` failed at `")
            && failed.contains("relation \"nowhere\" does not exist"),
        "{failed}"
    );
    // Multi-line messages stay on one line.
    for line in &lines[..lines.len() - 1] {
        assert!(
            line.starts_with("::error ") || line.starts_with("::notice "),
            "{line}"
        );
    }
    assert!(
        lines.last().unwrap().starts_with("roundtrip residue: "),
        "{}",
        run.stdout
    );
}

#[test]
fn a_clean_roundtrip_is_a_valid_log_without_results() {
    let run = Mig::new(fixture("sqlite"))
        .args(["-q", "--format", "sarif", "roundtrip"])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "roundtrip/downgrade-residue"
    );
    assert_valid(&run.stdout);
    let run = Mig::new(fixture("sqlite"))
        .args(["-q", "--format", "github", "roundtrip"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("roundtrip ok: 0 findings; ") && run.stdout.lines().count() == 1,
        "{}",
        run.stdout
    );
}

#[test]
fn roundtrip_runbook_prints_the_verifier_s_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("broken");
    crate::support::copy_dir(&fixture("broken"), &dir);
    let run = Mig::new(&dir)
        .args(["-q", "--format", "sarif", "roundtrip", "--runbook"])
        .run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF on stdout");
    // The stages before the verifier leave the residue behind (the runbook reports it),
    // so the verifier itself finds the naming violation.
    assert_eq!(
        results(&log),
        [(
            "roundtrip/naming-convention".into(),
            "error".into(),
            None,
            None
        )],
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("_broken.md ...  done"),
        "{}",
        run.stderr
    );
}

fn exec(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    support::block_on(async move {
        let mut conn = support::connect_pg(&url).await.expect("connect");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    });
}

#[test]
fn drift_in_sarif_and_github_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[(
            "d1",
            "",
            "CREATE TABLE account (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x');",
            "\nDROP TABLE account;",
        )],
    );
    let db = support::pg_db("sarif_drift");
    let base = ["-q", "-c", ini.to_str().unwrap(), "--url", db.url()];
    let with = |args: &[&str]| {
        let mut all = base.to_vec();
        all.extend_from_slice(args);
        Mig::new(dir.path()).args(&all).run()
    };
    let up = with(&["upgrade", "head"]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    exec(
        db.url(),
        "CREATE INDEX ix_hand ON account (name);
         ALTER TABLE account ALTER COLUMN name SET DEFAULT 'y';",
    );
    let run = with(&["--format", "sarif", "drift"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    let found = results(&log);
    assert!(
        found.contains(&("drift/extra".into(), "error".into(), None, None)),
        "{found:#?}"
    );
    assert!(
        found.contains(&("drift/changed".into(), "error".into(), None, None)),
        "{found:#?}"
    );
    assert_eq!(log["runs"][0]["tool"]["driver"]["fullName"], "mig drift");
    assert_valid(&run.stdout);

    let run = with(&["--format", "github", "drift"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let extra = run
        .stdout
        .lines()
        .find(|l| l.contains("extra index public.ix_hand"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        extra.starts_with(
            "::error title=mig drift%3A The database has an object its revisions do not make::extra index public.ix_hand in `"
        ),
        "{extra}"
    );
    assert!(
        run.stdout.contains("%0A  default: "),
        "the changed default, on the annotation's line: {}",
        run.stdout
    );
    assert!(run.stdout.ends_with("\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("DRIFT: 2 findings"),
        "{}",
        run.stdout
    );
}

#[test]
fn other_commands_refuse_the_ci_formats() {
    for format in ["sarif", "github"] {
        let run = Mig::new(fixture("sqlite"))
            .args(["--format", format, "heads"])
            .run();
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "FAILED: `--format {format}` is for the verifiers' findings: `mig roundtrip` and `mig drift`"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}
