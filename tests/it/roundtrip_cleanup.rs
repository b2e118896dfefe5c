//! Nothing is left behind: the binary is interrupted with SIGINT mid-run (during a
//! long statement, on a private server and on a scratch database) and must exit 130
//! with no server process, temp directory or scratch database remaining; a finished
//! `--scratch` run drops its database too.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::roundtrip_support::fixtures;
use crate::support::{self, block_on, processes_mentioning, repo, Mig, Spawned};

/// Starts `mig args` in `dir` with `TMPDIR` set, and returns once stderr shows `marker`.
fn start_until(dir: &Path, tmp: &Path, args: &[&str], marker: &str) -> Spawned {
    let mut child = Mig::new(dir).args(args).env("TMPDIR", tmp).spawn();
    child.stderr_until(marker);
    child
}

/// A temp dir the private server's account can enter (mig runs it unprivileged as root).
fn open_tempdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    tmp
}

/// A project whose second revision sleeps for a minute: an interrupt sent once its
/// upgrade is logged lands mid-statement, however slow the machine.
fn slow_project(dir: &Path) -> String {
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\n\
         [mig]\ndialect = postgresql\n",
    )
    .unwrap();
    let rev = |id: &str, down: &str, up: &str, downgrade: &str| {
        let text = format!(
            "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {down}\n\n\
             -- migrate:upgrade\n{up}\n\n-- migrate:downgrade\n{downgrade}\n"
        );
        std::fs::write(dir.join("versions").join(format!("{id}.sql")), text).unwrap();
    };
    rev("r1", "", "CREATE TABLE t (id int);", "DROP TABLE t;");
    rev("r2", "r1", "SELECT pg_sleep(60);", "");
    dir.join("alembic.ini").to_str().unwrap().to_string()
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn databases_of(pid: u32) -> Vec<String> {
    let server = support::server_url();
    block_on(async {
        let mut conn = crate::support::connect_pg(&server).await.unwrap();
        sqlx::query_scalar::<_, String>(
            "SELECT datname FROM pg_database WHERE datname LIKE 'mig_scratch_%' AND datname LIKE $1",
        )
        .bind(format!("%\\_{pid}\\_%"))
        .fetch_all(&mut conn)
        .await
        .unwrap()
    })
}

#[test]
fn ctrl_c_stops_and_removes_the_private_server() {
    let tmp = open_tempdir();
    let project = tempfile::tempdir().unwrap();
    let ini = slow_project(project.path());
    let started = std::time::Instant::now();
    let child = start_until(
        &repo(),
        tmp.path(),
        &["-c", &ini, "roundtrip", "--ephemeral"],
        "Running upgrade r1 -> r2",
    );
    // Mid-run, the server lives in our TMPDIR.
    let root: Vec<String> = entries(tmp.path());
    assert!(root.iter().any(|e| e.starts_with("mig-pg-")), "{root:?}");
    assert!(!processes_mentioning(tmp.path().to_str().unwrap()).is_empty());
    child.signal("INT");
    let ended = child.wait();
    assert_eq!(ended.code, 130);
    assert!(
        started.elapsed().as_secs() < 50,
        "mig waited for the sleeping statement"
    );
    let stderr = ended.stderr;
    assert!(
        stderr.ends_with("FAILED: interrupted; the private server was stopped and removed\n"),
        "{stderr}"
    );
    assert_eq!(
        entries(tmp.path()),
        Vec::<String>::new(),
        "temp files left behind"
    );
    assert_eq!(
        processes_mentioning(tmp.path().to_str().unwrap()),
        Vec::<u32>::new(),
        "server processes left behind"
    );
}

#[test]
fn ctrl_c_drops_the_scratch_database() {
    let tmp = open_tempdir();
    let server = support::server_url();
    let project = tempfile::tempdir().unwrap();
    let ini = slow_project(project.path());
    let child = start_until(
        &repo(),
        tmp.path(),
        &["-c", &ini, "--url", &server, "roundtrip", "--scratch"],
        "Running upgrade r1 -> r2",
    );
    let pid = child.id();
    assert_eq!(
        databases_of(pid).len(),
        1,
        "the scratch database exists mid-run"
    );
    child.signal("INT");
    let ended = child.wait();
    assert_eq!(ended.code, 130);
    assert_eq!(
        databases_of(pid),
        Vec::<String>::new(),
        "scratch database left behind"
    );
    let stderr = ended.stderr;
    assert!(
        stderr.ends_with("FAILED: interrupted; the scratch database was dropped\n"),
        "{stderr}"
    );
}

#[test]
fn a_finished_scratch_run_drops_its_database_and_says_which() {
    let server = support::server_url();
    let ini = fixtures().join("comment/alembic.ini");
    let run = Mig::new(repo())
        .args([
            "-c",
            ini.to_str().unwrap(),
            "--url",
            &server,
            "roundtrip",
            "--scratch",
        ])
        .run();
    let stdout = run.stdout;
    assert_eq!(run.code, 1, "{stdout}");
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("mig roundtrip (steps) on a scratch database `mig_scratch_"),
        "{first}"
    );
    // The child's pid is in the database name; none with it remains.
    let name = first
        .split('`')
        .nth(1)
        .expect("the database name in backticks")
        .to_string();
    let exists = block_on(async {
        let mut conn = crate::support::connect_pg(&server).await.unwrap();
        sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert!(!exists, "scratch database `{name}` survived the run");
    // No password in the description: the test server's URL has none, so check the form.
    assert!(first.contains(" on `postgresql://"), "{first}");
}
