//! The runbook's seeds section through the binary, on the SQLite notebooks project with
//! seeds (`tests/fixtures/runbook/seeded`): the required seeds applied and every state
//! listed; a seed whose `Requires:` revision the run did not reach (`roundtrip --runbook
//! --to`) reported as blocked, as `mig seed --list` reports it on the same database; a
//! seed that fails as a failed check naming the file, line and statement.

use std::path::Path;

use serde_json::Value;

use crate::runbook::{fixture, runbook};
use crate::support::copy_dir;
use crate::support::Mig;

/// `(name, state, needs)` of each seed in the runbook's JSON.
fn states(json: &Value) -> Vec<(String, String, Option<String>)> {
    listed(&json["seeds"]["seeds"])
}

/// `(name, state, needs)` of each entry of a seed list (the runbook's or `seed --list`'s).
fn listed(entries: &Value) -> Vec<(String, String, Option<String>)> {
    entries
        .as_array()
        .expect("a list of seeds")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["state"].as_str().unwrap_or_default().to_string(),
                s["needs"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn owned(list: &[(&str, &str, Option<&str>)]) -> Vec<(String, String, Option<String>)> {
    list.iter()
        .map(|(n, s, x)| (n.to_string(), s.to_string(), x.map(str::to_string)))
        .collect()
}

/// The seeds' checks as `(title, status, detail)`.
fn checks(json: &Value) -> Vec<(String, String, String)> {
    json["seeds"]["checks"]
        .as_array()
        .expect("seeds.checks")
        .iter()
        .map(|c| {
            (
                c["title"].as_str().unwrap_or_default().to_string(),
                c["status"].as_str().unwrap_or_default().to_string(),
                c["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_required_seeds_are_applied_and_every_seed_is_listed_with_its_state() {
    let run = runbook(&fixture("seeded"), &[], &["--stable"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    insta::assert_snapshot!(run.section("## 7. Seeds").trim(), @r"
    Seed files from `seeds`; `--seed required`: after the roundtrip verifier and before the DoD checks, the required seeds not applied yet were applied (as `mig seed` does). The states are read from the target as `mig seed --list` reads them.

    - ✅ **seed files load**: 3 seed files, in run order: `inbox_notebook` (required), `welcome_page` (required), `sample_pages` (optional)
    - ✅ **required seeds apply**: applied `inbox_notebook` (1 rows), `welcome_page` (1 rows), each in its own transaction, recorded in `mig_seed`

    | # | seed | kind | file | state after the run | rows (this run) |
    |---|---|---|---|---|---:|
    | 1 | `inbox_notebook` | required | `seeds/001_inbox_notebook.sql` | applied | 1 |
    | 2 | `welcome_page` | required | `seeds/002_welcome_page.sql` | applied | 1 |
    | 3 | `sample_pages` | optional | `seeds/003_sample_pages.sql` | pending |  |
    ");
    let json: Value = serde_json::from_str(&run.json).expect("json");
    assert_eq!(json["seeds"]["choice"], "required");
    assert_eq!(
        states(&json),
        owned(&[
            ("inbox_notebook", "applied", None),
            ("welcome_page", "applied", None),
            ("sample_pages", "pending", None),
        ])
    );
    // `--stable` leaves out when they were applied.
    assert!(json["seeds"]["seeds"][0].get("applied_at").is_none());
    assert!(run
        .section("## 9. Reproduce")
        .contains("mig seed\nmig seed --list\n"));

    // `--seed none` applies nothing and still reports every state.
    let run = runbook(&fixture("seeded"), &[], &["--stable", "--seed", "none"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    let json: Value = serde_json::from_str(&run.json).expect("json");
    assert_eq!(
        states(&json),
        owned(&[
            ("inbox_notebook", "pending", None),
            ("welcome_page", "pending", None),
            ("sample_pages", "pending", None),
        ])
    );
    assert_eq!(checks(&json)[1].1, "info", "{:?}", checks(&json));
}

#[test]
fn a_seed_that_needs_a_revision_the_run_did_not_reach_is_blocked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("seeded");
    copy_dir(&fixture("seeded"), &dir);
    // The verifier's range ends at the first revision: the database is left there.
    let run = Mig::new(&dir)
        .args([
            "roundtrip",
            "--runbook",
            "--to",
            "001_notebooks",
            "--in-place",
            "--yes",
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = written_json(&dir.join("runbook"));
    let blocked = owned(&[
        ("inbox_notebook", "pending", None),
        ("welcome_page", "blocked", Some("002_pages")),
        ("sample_pages", "blocked", Some("002_pages")),
    ]);
    assert_eq!(states(&json), blocked);
    let apply = &checks(&json)[1];
    assert_eq!(apply.1, "warn", "{apply:?}");
    assert!(
        apply.2.contains("seed `welcome_page`")
            && apply
                .2
                .contains("requires revision `002_pages`, which is not applied"),
        "{apply:?}"
    );
    assert_eq!(json["summary"]["warnings"], 1);
    // `mig seed --list` on the same database says the same.
    let list = Mig::new(&dir)
        .args(["--format", "json", "seed", "--list"])
        .run();
    assert_eq!(list.code, 0, "{}", list.stderr);
    let list: Value = serde_json::from_str(&list.stdout).expect("seed --list json");
    assert_eq!(listed(&list), blocked);
}

#[test]
fn a_failing_seed_is_a_failed_check_naming_its_file_line_and_statement() {
    let run = runbook(&fixture("seeded"), &[], &["--stable", "--seed", "all"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stderr, run.markdown);
    let json: Value = serde_json::from_str(&run.json).expect("json");
    let apply = &checks(&json)[1];
    assert_eq!(
        (apply.0.as_str(), apply.1.as_str()),
        ("required and optional seeds apply", "fail")
    );
    for part in [
        "seed `sample_pages` failed at seeds/003_sample_pages.sql:10",
        "(statement 2 of 2: `INSERT INTO pages (id, notebook_id, status) VALUES (3, 1, 'archived')`)",
        "CHECK constraint failed",
        "its transaction was rolled back: nothing of `sample_pages` is applied",
        "applied and recorded before it: `inbox_notebook`, `welcome_page`",
    ] {
        assert!(apply.2.contains(part), "{part}\n{apply:?}");
    }
    assert_eq!(
        states(&json),
        owned(&[
            ("inbox_notebook", "applied", None),
            ("welcome_page", "applied", None),
            ("sample_pages", "pending", None),
        ])
    );
    assert!(
        run.stderr.contains(
            "FAILED: seeds: required and optional seeds apply: seed `sample_pages` failed at "
        ) && run.stderr.contains("003_sample_pages.sql:10"),
        "{}",
        run.stderr
    );
    assert!(
        run.section("## 7. Seeds").contains('❌'),
        "{}",
        run.markdown
    );
}

#[test]
fn a_broken_seed_file_is_a_failed_check_and_the_rest_of_the_runbook_runs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("seeded");
    copy_dir(&fixture("seeded"), &dir);
    std::fs::write(
        dir.join("seeds/004_orphan.sql"),
        "-- Seed: orphan\n-- After: nobody\n\nSELECT 1;\n",
    )
    .expect("write seed");
    let run = runbook(&dir, &[], &["--stable"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stderr, run.markdown);
    let json: Value = serde_json::from_str(&run.json).expect("json");
    let load = &checks(&json)[0];
    assert_eq!(
        (load.0.as_str(), load.1.as_str()),
        ("seed files load", "fail")
    );
    assert!(
        load.2
            .contains("004_orphan.sql:2: seed `orphan` runs after `nobody`"),
        "{load:?}"
    );
    assert_eq!(json["summary"]["failed"], 1, "{}", run.markdown);
}

#[test]
fn after_a_failed_stage_the_seeds_are_not_applied_and_say_why() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("seeded");
    copy_dir(&fixture("seeded"), &dir);
    std::fs::write(
        dir.join("versions/003_broken.sql"),
        "-- broken\n--\n-- Revision ID: 003_broken\n-- Revises: 002_pages\n\n\
         -- migrate:upgrade\nCREATE TABLE pages (id INTEGER);\n\n-- migrate:downgrade\n",
    )
    .expect("write revision");
    let run = runbook(&dir, &[], &["--stable"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stderr, run.markdown);
    let json: Value = serde_json::from_str(&run.json).expect("json");
    assert_eq!(
        checks(&json),
        [
            (
                "seed files load".to_string(),
                "pass".to_string(),
                "3 seed files, in run order: `inbox_notebook` (required), `welcome_page` \
                 (required), `sample_pages` (optional)"
                    .to_string()
            ),
            (
                "required seeds apply".to_string(),
                "not_run".to_string(),
                "not run: stage `upgrade heads` failed".to_string()
            ),
        ]
    );
    assert!(states(&json).is_empty());
    assert!(
        run.section("## 7. Seeds")
            .contains("⏭ states not read: stage `upgrade heads` failed"),
        "{}",
        run.markdown
    );
}

/// The JSON runbook `mig roundtrip --runbook` wrote into `dir`.
fn written_json(dir: &Path) -> Value {
    let path = std::fs::read_dir(dir)
        .expect("runbook dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON runbook");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}
