//! A failing statement is located in its file (SPEC section 6) even when it went out in
//! one batch with others: a syntax error (the server rejects the whole batch before
//! running any of it, and points into it), a runtime error without a position in the
//! middle of a batch, a key violation in a downgrade. `upgrade`, `downgrade`,
//! `roundtrip` and `runbook` name the same file, line, column and statement.

use std::path::PathBuf;

use crate::runbook::runbook;
use crate::support::pg_db;
use crate::support::{Mig, Run};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/error_location")
}

/// From `FAILED:` on, redacted (the fixture directory shown as `[DIR]`).
fn failure(run: &Run) -> String {
    let run = run.redacted();
    let start = run
        .stderr
        .find("FAILED:")
        .unwrap_or_else(|| panic!("no FAILED: in\n{}", run.stderr));
    run.stderr[start..].to_string()
}

/// `mig -n <section> --url <url> <args>` in the fixture, which must fail with exit 3.
fn fails(section: &str, url: &str, args: &[&str]) -> String {
    let mut all = vec!["-n", section, "--url", url];
    all.extend(args);
    let run = Mig::new(fixture()).args(&all).run();
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    failure(&run)
}

#[test]
fn a_syntax_error_in_a_first_revision_names_its_statement_not_begin() {
    let db = pg_db("errloc_first");
    insta::assert_snapshot!(fails("first", db.url(), &["upgrade", "head"]), @r#"
    FAILED: revision `001_first` failed at `[DIR]/first/001_first.sql` line 7, column 1: syntax error at or near "NUL" (SQLSTATE 42601)
      statement: CREATE TABLE a ( id int NOT NUL )
      the server points at line 8, column 14
    the database now: the version table does not exist; rolled back: `upgrade  -> 001_first`
    "#);
}

#[test]
fn a_syntax_error_in_a_later_statement_names_that_statement() {
    // The batch holds `BEGIN`, revision 1, `CREATE TABLE b` and `CREATE TABLE c`: the
    // server rejects all of it before running any, so only its position tells which.
    let db = pg_db("errloc_second");
    insta::assert_snapshot!(fails("alembic", db.url(), &["upgrade", "head"]), @r#"
    FAILED: revision `002_second` failed at `[DIR]/second/002_second.sql` line 10, column 1: syntax error at or near "NUL" (SQLSTATE 42601)
      statement: CREATE TABLE c ( id int NOT NUL )
      the server points at line 11, column 14
    the database now: the version table does not exist; rolled back: `upgrade  -> 001_first`, `upgrade 001_first -> 002_second`
    "#);
    // One revision at a time: the batch then starts with the first revision's history row.
    let db = pg_db("errloc_second_alone");
    let run = Mig::new(fixture())
        .args(["--url", db.url(), "upgrade", "001_first"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fails("alembic", db.url(), &["upgrade", "head"]);
    assert!(
        text.starts_with(
            "FAILED: revision `002_second` failed at `[DIR]/second/002_second.sql` line 10, column 1"
        ),
        "{text}"
    );
}

#[test]
fn a_runtime_error_in_the_middle_of_a_batch_names_that_statement() {
    let db = pg_db("errloc_runtime");
    insta::assert_snapshot!(fails("runtime", db.url(), &["upgrade", "head"]), @r"
    FAILED: revision `002_runtime` failed at `[DIR]/runtime/002_runtime.sql` line 10, column 3: division by zero (SQLSTATE 22012)
      statement: UPDATE b SET id = id / 0
    the database now: the version table does not exist; rolled back: `upgrade  -> 001_first`, `upgrade 001_first -> 002_runtime`
    ");
}

#[test]
fn a_key_violation_in_a_downgrade_names_that_statement() {
    let db = pg_db("errloc_downgrade");
    let run = Mig::new(fixture())
        .args(["-n", "downgrade", "--url", db.url(), "upgrade", "head"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(fails("downgrade", db.url(), &["downgrade", "base"]), @r#"
    FAILED: revision `002_down` failed at `[DIR]/downgrade/002_down.sql` line 12, column 1: duplicate key value violates unique constraint "d_pkey" (SQLSTATE 23505)
      statement: INSERT INTO d VALUES (1)
      detail: Key (id)=(1) already exists.
    the database now: the version table holds `002_down`; rolled back: `downgrade 002_down -> 001_first`
    "#);
}

#[test]
fn roundtrip_and_runbook_name_the_same_statement() {
    let dir = fixture();
    let json = tempfile::NamedTempFile::new().unwrap();
    let path = json.path().to_str().unwrap();
    let run = Mig::new(&dir)
        .args(["--format", "json", "roundtrip", "-o", path])
        .run();
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let located = "revision `002_second` failed at `[DIR]/second/002_second.sql` line 10, \
                   column 1: syntax error at or near \"NUL\" (SQLSTATE 42601)\n  \
                   statement: CREATE TABLE c ( id int NOT NUL )\n  \
                   the server points at line 11, column 14\n";
    let failed = failure(&run);
    assert_eq!(
        failed,
        format!(
            "FAILED: `002_second` upgrade: {located}the database now: the version table \
             holds `001_first`; rolled back: `upgrade 001_first -> 002_second`\n"
        )
    );
    assert!(
        run.stdout.contains("  upgrade             failed"),
        "{}",
        run.stdout
    );
    // The whole-range checks are listed, as not reached.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let range: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["revision"].is_null())
        .map(|c| format!("{} {} {}", c["check"], c["status"], c["reason"]))
        .collect();
    assert_eq!(
        range,
        [
            r#""downgrade_all" "skipped" "not reached: `002_second` upgrade failed""#,
            r#""upgrade_all" "skipped" "not reached: `002_second` upgrade failed""#,
        ]
    );

    let url = crate::support::server_url();
    let book = runbook(&dir, &["--url", &url], &["--scratch", "--stable"]);
    assert_eq!(book.code, 3, "{}\n{}", book.stderr, book.markdown);
    // The runbook shows paths relative to the project.
    let relative = located.replace("[DIR]/", "");
    let flat = relative.replace("\n  ", " / ");
    let flat = flat.trim_end();
    assert!(
        book.markdown.contains(flat),
        "no `{flat}` in\n{}",
        book.markdown
    );
    assert!(
        book.stderr
            .contains(&located.replace("[DIR]", &dir.display().to_string())),
        "{}",
        book.stderr
    );
}
