//! Helpers for the seed, guard and reset tests: a copy of the demo project (with its
//! seeds) and reading a SQLite database back.

use std::path::Path;

use crate::online_support::{lite, strings_lite};
use crate::support::{block_on, copy_dir, pg_db, pg_exec, pg_query, repo, Mig};

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

pub const OUTBOX: &str = "SELECT count(*)::text FROM zero_admin.event_outbox";
pub const INBOX: &str = "SELECT count(*)::text FROM zero_admin.inbox_items";

/// `upgrade head`, then `seed --all`, of the project in `dir` on `url`.
pub fn upgraded_and_seeded(dir: &Path, url: &str) {
    let mig = Mig::new(dir).url(url);
    mig.with(["upgrade", "head"]).ok();
    mig.with(["seed", "--all"]).ok();
}

/// The demo, upgraded and fully seeded, with one more inbox item of the application's.
pub fn seeded_demo(test: &str) -> (crate::support::PgDb, tempfile::TempDir) {
    let db = pg_db(test);
    let proj = demo();
    let url = db.url().to_string();
    upgraded_and_seeded(proj.path(), &url);
    pg_exec(
        &url,
        "INSERT INTO zero_admin.inbox_items (tenant_id, source, content_hash) \
         VALUES ('00000000-0000-0000-0000-0000000000bb', 'api', 'sha256:app')",
    );
    (db, proj)
}

pub fn history_kinds(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT direction FROM zero_admin.mig_history ORDER BY started_at",
    )
}
