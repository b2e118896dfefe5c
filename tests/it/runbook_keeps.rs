//! `mig runbook` and `mig roundtrip` judge `Downgrade Keeps:` with one rule (the
//! verifier's): a keep written as `enum`, unquoted and without its schema is accepted
//! by both, and a keep that names the wrong kind leaves the same residue in both.
//! Before the runbook used the verifier's rule it had its own, which read neither `enum`
//! nor an unqualified or upper-case name, and failed the first history below while the
//! verifier passed it: the verifier was right, the keep is declared. It also required
//! every declared keep to survive `downgrade base`, failing the last history below, where
//! an earlier revision's downgrade removes a later one's keep: the verifier was right
//! again (a keep says what a revision's own downgrade may leave, not that the objects
//! outlive the whole history), so keeps are accepted, not required, over a whole range.

use crate::runbook::{runbook, Book};
use crate::support::project::project_with_ini;
use crate::support::{server_url, Mig, Run};

/// A PostgreSQL project with these revisions (file name, text).
fn with_revisions(revisions: &[(&str, String)]) -> tempfile::TempDir {
    project_with_ini(
        "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n",
        revisions,
    )
}

/// A project whose one revision leaves its enum type behind on downgrade, declared with
/// `keep`.
fn project(keep: &str) -> tempfile::TempDir {
    let revision = format!(
        "-- moods\n--\n-- Revision ID: 001_moods\n-- Revises:\n-- Downgrade Keeps: {keep}\n\n\
         -- migrate:upgrade\n\
         DO $$ BEGIN CREATE TYPE mood AS ENUM ('happy', 'sad'); \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n\n\
         CREATE TABLE people (id integer PRIMARY KEY, feeling mood);\n\n\
         -- migrate:downgrade\n\
         DROP TABLE people;\n"
    );
    with_revisions(&[("001_moods.sql", revision)])
}

/// `mig --url <test server> roundtrip --scratch`.
fn roundtrip(dir: &std::path::Path) -> Run {
    Mig::new(dir)
        .url(server_url())
        .args(["roundtrip", "--scratch"])
        .run()
}

fn runbook_on_server(dir: &std::path::Path) -> Book {
    runbook(dir, &["--url", &server_url()], &["--scratch", "--stable"])
}

const DOWN: &str = "downgrade to base leaves only the declared keeps";

#[test]
fn an_enum_keep_without_schema_in_upper_case_is_accepted_by_both() {
    let dir = project("enum Mood");
    let verified = roundtrip(dir.path());
    let report = &verified.stdout;
    assert_eq!(verified.code, 0, "{report}\n{}", verified.stderr);

    let run = runbook_on_server(dir.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    assert_eq!(
        run.check(DOWN),
        format!("- ✅ **{DOWN}**: left behind as declared: type public.mood")
    );
}

#[test]
fn a_keep_of_the_wrong_kind_leaves_the_same_residue_in_both() {
    let dir = project("table mood");
    let verified = roundtrip(dir.path());
    let report = &verified.stdout;
    assert_eq!(verified.code, 1, "{report}");
    assert!(report.contains("extra type public.mood"), "{report}");

    let run = runbook_on_server(dir.path());
    assert_eq!(run.code, 1, "{}\n{}", run.stderr, run.markdown);
    assert!(run.check(DOWN).starts_with("- ❌"), "{}", run.check(DOWN));
    assert!(
        run.check(DOWN).contains("extra type public.mood"),
        "{}",
        run.check(DOWN)
    );
}

#[test]
fn a_keep_that_an_earlier_downgrade_removes_passes_both() {
    let dir = with_revisions(&[
        (
            "001_schema.sql",
            "-- schema\n--\n-- Revision ID: 001_schema\n-- Revises:\n\n-- migrate:upgrade\n\
             CREATE SCHEMA notes;\n\n-- migrate:downgrade\nDROP SCHEMA notes CASCADE;\n"
                .to_string(),
        ),
        (
            "002_log.sql",
            "-- log\n--\n-- Revision ID: 002_log\n-- Revises: 001_schema\n\
             -- Downgrade Keeps: table notes.log\n\n-- migrate:upgrade\n\
             CREATE TABLE IF NOT EXISTS notes.log (id integer PRIMARY KEY);\n\n\
             -- migrate:downgrade\nSELECT 1;\n"
                .to_string(),
        ),
    ]);
    let verified = roundtrip(dir.path());
    let report = &verified.stdout;
    assert_eq!(verified.code, 0, "{report}");

    let run = runbook_on_server(dir.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.markdown);
    assert_eq!(
        run.check(DOWN),
        format!("- ✅ **{DOWN}**: nothing left behind")
    );
}
