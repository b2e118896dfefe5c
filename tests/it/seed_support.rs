//! Helpers for the seed, guard and reset tests: a copy of the demo project (with its
//! seeds) and reading a SQLite database back.

use std::path::Path;

use crate::online_support::{lite, strings_lite};
use crate::support::{block_on, copy_dir, repo};

/// A copy of the demo project: alembic.ini, versions/, seeds/.
pub fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("alembic.ini"), tmp.path().join("alembic.ini")).expect("ini");
    copy_dir(&repo().join("versions"), &tmp.path().join("versions"));
    copy_dir(&repo().join("seeds"), &tmp.path().join("seeds"));
    tmp
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
