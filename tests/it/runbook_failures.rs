//! `mig runbook` when things go wrong: every kind of check fails once and shows ❌, a
//! refused connection and an unavailable extension, revision files that do not load,
//! malformed DoD files and templates, and no password in any output.

use crate::runbook::{fixture, runbook, Book};
use crate::support::cli::redact;
use crate::support::project::project_with_ini;
use crate::support::{copy_dir, repo, server_url, Mig};

fn failed(run: &Book, title: &str) {
    let l = run.check(title);
    assert!(l.starts_with("- ❌"), "`{title}` should fail: {l}");
}

fn not_run(run: &Book, title: &str) {
    let l = run.check(title);
    assert!(l.starts_with("- ⏭"), "`{title}` should not run: {l}");
}

#[test]
fn every_kind_of_check_fails_once() {
    // Naming violation, downgrade residue, a wrong expectation, a missing object, a
    // query that fails (the failed revision is `a_failing_revision_...` in runbook.rs).
    let run = runbook(&fixture("broken"), &[], &["--stable"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stderr, run.markdown);
    failed(&run, "naming_convention.pk = pk_%(table_name)s");
    assert!(run
        .check("naming_convention.pk")
        .contains("`items_pkey`, expected `pk_items`"));
    failed(&run, "downgrade to base leaves only the declared keeps");
    assert!(run
        .check("downgrade to base")
        .contains("extra table audit_log"));
    failed(&run, "a wrong expectation");
    assert!(run
        .check("a wrong expectation")
        .contains("got `0` (expected `1`)"));
    failed(&run, "a missing object");
    failed(&run, "a query that fails");
    // The checks that hold still pass, and the summary names each failure.
    assert!(run.check("items exist").starts_with("- ✅"));
    let summary = run.section("## Summary");
    assert!(summary.contains("5 failed"), "{summary}");
    assert!(
        run.stderr.contains("FAILED: roundtrip: downgrade to base"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unavailable_extension_fails_the_privilege_check_and_the_revision() {
    let dir = project_with_ini(
        "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n",
        &[(
            "001_ext.sql",
            "-- ext\n--\n-- Revision ID: 001_ext\n-- Revises:\n\n-- migrate:upgrade\n\
             CREATE EXTENSION IF NOT EXISTS mig_no_such_extension;\n\n-- migrate:downgrade\n\
             DROP EXTENSION mig_no_such_extension;\n",
        )],
    );
    let url = server_url();
    let run = runbook(dir.path(), &["--url", &url], &["--scratch", "--stable"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stderr, run.markdown);
    failed(&run, "extension `mig_no_such_extension` is available");
    failed(&run, "can create extension `mig_no_such_extension`");
    not_run(&run, "downgrade to base leaves only the declared keeps");
    assert!(run.markdown.contains("### Stage 1: upgrade heads ❌"));
}

/// The test server's URL with a password in it (trust authentication ignores it), and
/// the password.
fn url_with_password() -> (String, String) {
    let url = server_url();
    let parsed = mig::url::DatabaseUrl::parse(&url).expect("test server URL");
    if let Some(password) = parsed.password() {
        return (url.clone(), password.expose().to_string());
    }
    let secret = "s3cr3t-Pw0rd".to_string();
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let with = match rest.split_once('@') {
        Some((user, host)) => format!("{scheme}://{user}:{secret}@{host}"),
        None => format!("{scheme}://mig:{secret}@{rest}"),
    };
    (with, secret)
}

#[test]
fn no_password_in_any_output() {
    let (url, secret) = url_with_password();
    let run = runbook(&repo(), &["--url", &url], &["--scratch"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    assert!(!run.everything().contains(&secret), "{}", run.everything());
    assert!(run.markdown.contains(":***@"), "{}", run.markdown);

    let refused = format!("postgresql://mig:{secret}@127.0.0.1:1/nowhere?connect_timeout=5");
    let run = runbook(&repo(), &["--url", &refused], &["--in-place", "--yes"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stderr, run.markdown);
    assert!(!run.everything().contains(&secret), "{}", run.everything());
    failed(&run, "connect");
    not_run(&run, "U1-P2: the version table lies in schema zero_admin");
    not_run(&run, "downgrade to base leaves only the declared keeps");
    assert!(run
        .section("## 6. Constraint verification")
        .contains("⏭ not run"));
    assert!(!run.section("## 3. Steps").contains('✅'));
}

#[test]
fn revision_files_that_do_not_load() {
    let dir = project_with_ini(
        "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///x.db\n",
        &[("001_bad.sql", "-- no id\n\n-- migrate:upgrade\nSELECT 1;\n")],
    );
    let run = runbook(dir.path(), &[], &["--stable"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stderr, run.markdown);
    failed(&run, "revision files load");
    not_run(&run, "revision graph");
    not_run(&run, "connect");
    assert!(run.markdown.contains("### Stage 1: upgrade heads ⏭"));
    assert!(!run.section("## 3. Steps").contains('✅'));
}

#[test]
fn malformed_dod_files_and_templates_are_usage_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("notes");
    copy_dir(&fixture("sqlite"), &dir);
    std::fs::write(
        dir.join("dod.toml"),
        "[[check]]\ntitle = \"x\"\nsql = \"SELECT 1\"\nexpect = \"rows = 1\"\n\n[[check]]\ntitle = \"y\"\nsql = \"SELECT 1\"\n",
    )
    .expect("dod");
    let run = runbook(&dir, &[], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.files.is_empty(), "{:?}", run.files);
    let stderr = redact(&run.stderr, &dir);
    insta::assert_snapshot!(stderr.trim(), @r#"FAILED: `[DIR]/dod.toml` line 6, column 1: check 2 has `sql` but no `expect` (a literal, `true`, `"non-null"` or `"rows = N"`)"#);

    std::fs::remove_file(dir.join("dod.toml")).expect("rm");
    std::fs::create_dir(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("templates/runbook.md.tmpl"),
        "# {{project}}\n\n{{sumary}}\n",
    )
    .expect("template");
    let run = runbook(&dir, &[], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("line 3: unknown placeholder `{{sumary}}`"),
        "{}",
        run.stderr
    );

    std::fs::write(
        dir.join("templates/runbook.md.tmpl"),
        "# {{project}} (our own template)\n\n{{summary}}\n",
    )
    .expect("template");
    let run = runbook(&dir, &[], &["--stable"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.markdown
            .starts_with("# notes (our own template)\n\n**✅ PASSED**"),
        "{}",
        run.markdown
    );
}

#[test]
fn in_place_needs_yes() {
    let run = runbook(&repo(), &[], &["--in-place"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(run.files.is_empty());
}

#[test]
fn ctrl_c_stops_the_run_drops_the_scratch_database_and_the_runbook_says_so() {
    let dir = project_with_ini(
        "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n",
        &[
            (
                "r1.sql",
                "-- r1\n--\n-- Revision ID: r1\n-- Revises:\n\n-- migrate:upgrade\n\
                 CREATE TABLE t (id int);\n\n-- migrate:downgrade\nDROP TABLE t;\n",
            ),
            (
                "r2.sql",
                "-- r2\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- migrate:upgrade\n\
                 SELECT pg_sleep(60);\n\n-- migrate:downgrade\n",
            ),
        ],
    );
    let out = tempfile::tempdir().expect("tempdir");
    let mut child = Mig::new(dir.path())
        .args(["--url", &server_url(), "runbook", "--scratch", "--stable"])
        .arg("--out")
        .arg(out.path())
        .spawn();
    let pid = child.id();
    // Once the sleeping revision is logged, the interrupt lands mid-statement.
    let seen = child.stderr_until("Running upgrade r1 -> r2");
    child.signal("INT");
    let output = child.wait();
    let rest = &output.stderr[seen.len()..];
    assert_eq!(output.code, 130, "{}", output.stderr);
    let interrupted = "the run failed: interrupted; the scratch database was dropped";
    assert!(rest.contains(&format!("FAILED: {interrupted}")), "{rest}");
    let stdout = &output.stdout;
    assert!(
        stdout.contains("; stopped at the run, written to "),
        "{stdout}"
    );
    let markdown = std::fs::read_to_string(out.path().join(format!(
        "{}.md",
        dir.path().file_name().expect("name").to_string_lossy()
    )))
    .expect("the runbook is written");
    assert!(
        markdown.contains("stopped at the run: interrupted; the scratch database was dropped"),
        "{markdown}"
    );
    let scratch = crate::support::block_on(async {
        let mut conn = crate::support::connect_pg(&server_url())
            .await
            .expect("connect");
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'mig_scratch_%' AND datname LIKE $1",
        )
        .bind(format!("%\\_{}\\_%", pid))
        .fetch_one(&mut conn)
        .await
        .expect("query")
    });
    assert_eq!(scratch, 0, "the scratch database is dropped");
}
