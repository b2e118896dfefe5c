//! `mig runbook --stable` end to end through the binary, snapshot-tested: the demo project
//! on a private PostgreSQL server (and the committed example in `runbook/` kept equal to
//! it), a SQLite project, and a run whose second revision fails. Snapshots live in
//! `tests/fixtures/runbook/snapshots/`.

use std::path::{Path, PathBuf};

use regex::Regex;

use crate::support::{copy_dir, repo, Mig};

/// One `mig runbook` run: exit code, streams, and the files it wrote.
pub struct Book {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub markdown: String,
    pub json: String,
    /// The files written into the output directory.
    pub files: Vec<String>,
}

impl Book {
    /// Every output the run produced, for secret checks.
    pub fn everything(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.stdout, self.stderr, self.markdown, self.json
        )
    }

    /// The Markdown between heading `from` and the next `## ` heading.
    pub fn section(&self, from: &str) -> String {
        let start = self
            .markdown
            .find(from)
            .unwrap_or_else(|| panic!("no `{from}` in:\n{}", self.markdown));
        let rest = &self.markdown[start + from.len()..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        rest[..end].to_string()
    }

    /// The check line `- <mark> **<title>**: <detail>`.
    pub fn check(&self, title: &str) -> &str {
        self.markdown
            .lines()
            .find(|l| l.starts_with("- ") && l.contains(&format!("**{title}")))
            .unwrap_or_else(|| panic!("no check `{title}` in:\n{}", self.markdown))
    }
}

/// Runs `mig <global> runbook --out <tmp> <args>` in `dir`.
pub fn runbook(dir: &Path, global: &[&str], args: &[&str]) -> Book {
    let out = tempfile::tempdir().expect("tempdir");
    runbook_into(dir, out.path(), global, args)
}

/// [`runbook`] into the output directory `out`; the Markdown and JSON read are the
/// first of their kind in name order.
pub fn runbook_into(dir: &Path, out: &Path, global: &[&str], args: &[&str]) -> Book {
    let run = Mig::new(dir)
        .args(global)
        .arg("runbook")
        .arg("--out")
        .arg(out)
        .args(args)
        // The private server takes its time zone from the environment (initdb).
        .env("TZ", "UTC")
        .run();
    let mut files: Vec<String> = std::fs::read_dir(out)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let read = |ext: &str| {
        files
            .iter()
            .find(|f| f.ends_with(ext))
            .map(|f| std::fs::read_to_string(out.join(f)).expect("read output"))
            .unwrap_or_default()
    };
    Book {
        code: run.code,
        markdown: read(".md"),
        json: read(".json"),
        stdout: run.stdout,
        stderr: run.stderr,
        files,
    }
}

pub fn fixture(case: &str) -> PathBuf {
    repo().join("tests/fixtures/runbook").join(case)
}

/// What may differ between machines even with `--stable`: the server's major version
/// and mig's own version.
pub fn portable(text: &str) -> String {
    let major = Regex::new(r"PostgreSQL \d+").expect("regex");
    major
        .replace_all(text, "PostgreSQL <major>")
        .replace(
            &format!("| mig | {} |", env!("CARGO_PKG_VERSION")),
            "| mig | <version> |",
        )
        .replace(
            &format!("\"mig_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"mig_version\": \"<version>\"",
        )
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../fixtures/runbook/snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, portable(text));
    });
}

#[test]
fn demo_project_on_postgres() {
    let run = runbook(&repo(), &[], &["--stable"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    assert_eq!(run.files, ["zero_admin.json", "zero_admin.md"]);
    assert!(
        run.section("## Summary")
            .contains("0 failed · 0 warnings · 0 not run"),
        "{}",
        run.markdown
    );
    let json: serde_json::Value = serde_json::from_str(&run.json).expect("json");
    assert_eq!(json["summary"]["exit_code"], 0);
    assert_eq!(json["header"]["project"], "zero_admin");
    // The demo's required seed is applied on the private server, the optional one is not.
    let seeds = &json["seeds"]["seeds"];
    assert_eq!(
        [&seeds[0]["name"], &seeds[0]["state"]],
        ["system_events", "applied"]
    );
    assert_eq!(seeds[0]["rows"], 3);
    assert_eq!(
        [&seeds[1]["name"], &seeds[1]["kind"], &seeds[1]["state"]],
        ["sample_inbox", "optional", "pending"]
    );
    assert!(
        run.section("## 7. Seeds")
            .contains("- ✅ **required seeds apply**: applied `system_events` (3 rows)"),
        "{}",
        run.markdown
    );
    snapshot("demo_postgres", &run.markdown);
    // The committed example is this very output (regenerate with the command in
    // runbook/README.md when it changes).
    let committed = |name: &str| {
        std::fs::read_to_string(repo().join("runbook").join(name))
            .unwrap_or_else(|e| panic!("runbook/{name}: {e}"))
    };
    assert_eq!(
        portable(&committed("zero_admin.md")),
        portable(&run.markdown),
        "runbook/zero_admin.md is stale"
    );
    assert_eq!(
        portable(&committed("zero_admin.json")),
        portable(&run.json),
        "runbook/zero_admin.json is stale"
    );
}

#[test]
fn sqlite_project() {
    let run = runbook(&fixture("sqlite"), &[], &["--stable"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    snapshot("sqlite", &run.markdown);
}

#[test]
fn a_failing_revision_stops_the_run_and_nothing_after_it_passes() {
    let run = runbook(&fixture("failing"), &[], &["--stable"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stderr, run.markdown);
    assert!(
        run.stderr
            .contains("FAILED: stage `upgrade heads` failed: revision `002_orders`"),
        "{}",
        run.stderr
    );
    for section in [
        "## 5. Roundtrip",
        "## 6. Constraint verification",
        "## 8. Definition of Done",
    ] {
        let text = run.section(section);
        assert!(!text.contains('✅'), "{section}:\n{text}");
        assert!(text.contains('⏭'), "{section}:\n{text}");
    }
    // The project has no seed files: nothing to apply, nothing passed.
    let seeds = run.section("## 7. Seeds");
    assert!(!seeds.contains('✅'), "{seeds}");
    let json: serde_json::Value = serde_json::from_str(&run.json).expect("json");
    assert_eq!(json["summary"]["exit_code"], 3);
    assert_eq!(json["fatal"]["at"], "stage `upgrade heads`");
    snapshot("failing", &run.markdown);
}

#[test]
fn roundtrip_with_runbook_prints_the_report_and_writes_the_runbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("notes");
    copy_dir(&fixture("sqlite"), &dir);
    let output = Mig::new(&dir)
        .args(["--format", "json", "roundtrip", "--runbook"])
        .run();
    let stderr = &output.stderr;
    assert_eq!(output.code, 0, "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&output.stdout).expect("the verifier's JSON report on stdout");
    assert_eq!(report["status"], "ok");
    assert_eq!(report["revisions"].as_array().map(Vec::len), Some(2));
    let written: Vec<PathBuf> = std::fs::read_dir(dir.join("runbook"))
        .expect("runbook/ written")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    let markdown = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .expect("a Markdown runbook");
    assert!(stderr.contains("_notes.md ...  done"), "{stderr}");
    assert!(
        markdown.contains("| ✅ | `002_pages` | pages | ok |"),
        "{markdown}"
    );
    assert!(markdown.contains("**✅ PASSED**"), "{markdown}");

    let broken = tmp.path().join("broken");
    copy_dir(&fixture("broken"), &broken);
    let output = Mig::new(&broken).args(["roundtrip", "--runbook"]).run();
    assert_eq!(output.code, 1);
    let stdout = &output.stdout;
    assert!(stdout.contains("002_tags"), "the text report: {stdout}");
}

/// The verdict line the run printed last on stdout, and the one its JSON summary implies.
fn verdict(run: &Book, out: &Path) -> (String, String) {
    let json: serde_json::Value = serde_json::from_str(&run.json).expect("json");
    let n = |key: &str| json["summary"][key].as_u64().expect("count");
    let (passed, failed, warnings, not_run) =
        (n("passed"), n("failed"), n("warnings"), n("not_run"));
    let total = passed + failed + warnings + not_run;
    let counts = format!("{passed} passed, {warnings} warnings, {not_run} not run");
    let mut expected = if json["summary"]["exit_code"] == 0 {
        format!("PASSED: {total} checks ({counts})")
    } else {
        format!("FAILED: {failed} of {total} checks failed ({counts})")
    };
    if let Some(at) = json["fatal"]["at"].as_str() {
        expected.push_str(&format!("; stopped at {at}"));
    }
    let markdown = run.files.iter().find(|f| f.ends_with(".md")).expect("md");
    expected.push_str(&format!(", written to {}", out.join(markdown).display()));
    let printed = run.stdout.lines().last().unwrap_or_default().to_string();
    (printed, expected)
}

#[test]
fn the_verdict_line_says_passed_or_failed_with_the_counts_and_the_file() {
    for (case, code) in [("sqlite", 0), ("broken", 1), ("failing", 3)] {
        let out = tempfile::tempdir().expect("tempdir");
        let run = runbook_into(&fixture(case), out.path(), &[], &["--stable"]);
        assert_eq!(run.code, code, "{case}: {}\n{}", run.stderr, run.stdout);
        let (printed, expected) = verdict(&run, out.path());
        assert_eq!(printed, expected, "{case}");
    }
}

#[test]
fn a_second_runbook_on_the_same_day_does_not_overwrite_the_first() {
    let out = tempfile::tempdir().expect("tempdir");
    let first = runbook_into(&fixture("sqlite"), out.path(), &[], &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let [json, markdown] = &first.files[..] else {
        panic!("two files: {:?}", first.files)
    };
    let stem = markdown.strip_suffix(".md").expect("a Markdown file");
    assert_eq!(json, &format!("{stem}.json"));
    assert!(
        Regex::new(r"^\d{4}-\d{2}-\d{2}_notes$")
            .expect("regex")
            .is_match(stem),
        "{stem}"
    );

    let second = runbook_into(&fixture("sqlite"), out.path(), &[], &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let mut expected = vec![
        format!("{stem}.json"),
        format!("{stem}.md"),
        format!("{stem}_2.json"),
        format!("{stem}_2.md"),
    ];
    expected.sort();
    assert_eq!(second.files, expected);
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).expect("read");
    assert_eq!(read(markdown), first.markdown, "the first runbook is kept");
    assert!(
        second.stdout.contains(&format!("{stem}_2.md ...  done")),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.trim_end().ends_with(&format!("{stem}_2.md")),
        "{}",
        second.stdout
    );

    // `--stable` keeps its one name and writes over it.
    let stable = tempfile::tempdir().expect("tempdir");
    for _ in 0..2 {
        let run = runbook_into(&fixture("sqlite"), stable.path(), &[], &["--stable"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.files, ["notes.json", "notes.md"]);
    }
}
