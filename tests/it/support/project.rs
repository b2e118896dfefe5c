//! Small projects written for one test: an `alembic.ini` pointing at `versions/`, the
//! revision files (in mig's SQL format), and `seeds/` when a test needs it.

use std::path::Path;

/// The `alembic.ini` of [`project`]: scripts and versions in the project directory.
pub const INI: &str =
    "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n";

/// An `alembic.ini` like [`INI`] whose URL comes from `DATABASE_URL`, with `mig` as its
/// `[mig]` section.
pub fn ini_with_url_from_env(mig: &str) -> String {
    format!("{INI}sqlalchemy.url = %(DATABASE_URL)s\n\n[mig]\n{mig}\n")
}

/// A fresh `mig init proj` in a temp dir: the temp dir and the project in it.
pub fn init_project() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    super::Mig::new(tmp.path()).args(["init", "proj"]).ok();
    let dir = tmp.path().join("proj");
    (tmp, dir)
}

/// The text of revision `id` revising `revises` (empty: a root), with `header` lines after
/// `Revises:` (such as `-- Transaction: none\n`). The upgrade's first line is line 7 with
/// no header.
pub fn revision_with(id: &str, revises: &str, header: &str, up: &str, down: &str) -> String {
    format!(
        "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n{header}\n-- migrate:upgrade\n\
         {up}\n\n-- migrate:downgrade\n{down}\n"
    )
}

/// [`revision_with`] without extra header lines.
pub fn revision(id: &str, revises: &str, up: &str, down: &str) -> String {
    revision_with(id, revises, "", up, down)
}

/// `("a.sql", text)`: revision `a`, a root that creates table `t0`.
pub fn root_a() -> (&'static str, String) {
    let text = revision("a", "", "CREATE TABLE t0 (id int);", "DROP TABLE t0;");
    ("a.sql", text)
}

/// Revision `id` whose upgrade is three statements, `CREATE TABLE t1`, `second` and
/// `CREATE TABLE t3` (statement 1 on line 7 plus the `header` lines), and whose downgrade
/// drops both tables.
pub fn three_statements(id: &str, revises: &str, header: &str, second: &str) -> String {
    let up = format!("CREATE TABLE t1 (id int);\n\n{second}\n\nCREATE TABLE t3 (id int);");
    revision_with(id, revises, header, &up, "DROP TABLE t3;\nDROP TABLE t1;")
}

/// A project in a temp dir: [`INI`] and `versions/<name>` for each `(name, text)`.
pub fn project<S: AsRef<str>>(revisions: &[(&str, S)]) -> tempfile::TempDir {
    project_with_ini(INI, revisions)
}

/// [`project`] with `ini` as its `alembic.ini`.
pub fn project_with_ini<S: AsRef<str>>(ini: &str, revisions: &[(&str, S)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("alembic.ini"), ini).expect("ini");
    write_all(&tmp.path().join("versions"), revisions);
    tmp
}

/// [`project`] with a `seeds/` directory holding `seeds`.
pub fn project_with_seeds(revisions: &[(&str, &str)], seeds: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = project(revisions);
    write_all(&tmp.path().join("seeds"), seeds);
    tmp
}

fn write_all<S: AsRef<str>>(dir: &Path, files: &[(&str, S)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text.as_ref())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
    }
}
