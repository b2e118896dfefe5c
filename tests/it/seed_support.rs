//! Helpers for the seed, guard and reset tests: a copy of the demo project (with its
//! seeds), small SQLite projects, running the binary and reading a database back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::online_support::{exec_pg, lite, pg, strings_lite, strings_pg};
use crate::support::block_on;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `mig` binary in `dir`, with a clean environment for configuration and protection.
pub fn mig_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mig"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("MIG_CONFIG")
        .env_remove("ALEMBIC_CONFIG")
        .env_remove("MIG_ENV")
        .env_remove("RAILWAY_ENVIRONMENT")
        .env_remove("FLY_APP_NAME");
    cmd
}

pub fn mig(dir: &Path, args: &[&str]) -> Output {
    mig_cmd(dir, args).output().expect("run mig")
}

/// Runs mig, asserts success, returns stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = mig(dir, args);
    assert!(
        out.status.success(),
        "mig {args:?} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs mig, asserts exit `code`, returns stderr.
pub fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let out = mig(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "mig {args:?}: stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
    }
}

/// A copy of the demo project: alembic.ini, versions/, seeds/.
pub fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("alembic.ini"), tmp.path().join("alembic.ini")).expect("ini");
    copy_dir(&repo().join("versions"), &tmp.path().join("versions"));
    copy_dir(&repo().join("seeds"), &tmp.path().join("seeds"));
    tmp
}

/// A project with `revisions` (file name, text) and `seeds` (file name, text), no
/// `[mig]` section.
pub fn project(revisions: &[(&str, &str)], seeds: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n",
    )
    .expect("ini");
    std::fs::create_dir(tmp.path().join("versions")).expect("versions");
    std::fs::create_dir(tmp.path().join("seeds")).expect("seeds");
    for (name, text) in revisions {
        std::fs::write(tmp.path().join("versions").join(name), text).expect("revision");
    }
    for (name, text) in seeds {
        std::fs::write(tmp.path().join("seeds").join(name), text).expect("seed");
    }
    tmp
}

/// A revision file creating `up` and dropping with `down`.
pub fn revision(id: &str, revises: &str, up: &str, down: &str) -> String {
    format!(
        "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\n{up}\n\n\
         -- migrate:downgrade\n{down}\n"
    )
}

/// The first column of every row, as text, on PostgreSQL.
pub fn pg_strings(url: &str, sql: &str) -> Vec<String> {
    let (url, sql) = (url.to_string(), sql.to_string());
    block_on(async move {
        let mut conn = pg(&url).await;
        strings_pg(&mut conn, &sql).await
    })
}

pub fn pg_exec(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    block_on(async move {
        let mut conn = pg(&url).await;
        exec_pg(&mut conn, &sql).await;
    })
}

pub fn lite_strings(path: &Path, sql: &str) -> Vec<String> {
    let (path, sql) = (path.to_path_buf(), sql.to_string());
    block_on(async move {
        let mut conn = lite(&path).await;
        strings_lite(&mut conn, &sql).await
    })
}

/// `sqlite:////abs/path` for a file.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite:///{}", path.display())
}

/// Runs `sql` (several statements) on the SQLite file.
pub fn lite_exec_all(path: &Path, sql: &str) {
    let (path, sql) = (path.to_path_buf(), sql.to_string());
    block_on(async move {
        let mut conn = lite(&path).await;
        crate::online_support::exec_lite(&mut conn, &sql).await;
    })
}
