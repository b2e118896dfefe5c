//! The interactive confirmation for real: `mig reset` on a pseudo-terminal (python3's
//! `pty` module drives the binary), typing the database's name, the countdown, Ctrl-C
//! during it, and a wrong name.

use std::path::Path;

use crate::seed_support::demo;
use crate::support::{pg_db, pg_exec, pg_query, Mig};

/// Runs mig with `args` in `dir` on a pseudo-terminal; types `typed` at the name
/// prompt; with `interrupt`, sends Ctrl-C once the countdown started. Returns the exit
/// code (negative: killed by that signal) and everything the terminal showed.
const DRIVER: &str = r#"
import os, pty, sys, json, time
typed, interrupt, mig = sys.argv[1], sys.argv[2] == "1", sys.argv[3]
args = sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(mig, [mig] + args)
seen = b""
def read_until(marker, timeout=60):
    global seen
    deadline = time.time() + timeout
    while marker not in seen and time.time() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        seen += chunk
    return marker in seen
if read_until(b"Type the database name to continue: "):
    os.write(fd, typed.encode() + b"\n")
    if interrupt and read_until(b"press Ctrl-C to cancel: 5"):
        os.write(fd, b"\x03")
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
print(json.dumps({"code": code, "output": seen.decode("utf-8", "replace")}))
"#;

fn on_terminal(dir: &Path, typed: &str, interrupt: bool, args: &[&str]) -> (i64, String) {
    let interrupt = if interrupt { "1" } else { "0" };
    let driver = Mig::new(dir)
        .args(args)
        .via("python3", ["-c", DRIVER, typed, interrupt])
        .run();
    assert_eq!(driver.code, 0, "driver: {}", driver.stderr);
    let report: serde_json::Value = serde_json::from_str(&driver.stdout).expect("driver json");
    (
        report["code"].as_i64().unwrap(),
        report["output"].as_str().unwrap().to_string(),
    )
}

#[test]
fn typed_name_countdown_and_ctrl_c_on_a_terminal() {
    let db = pg_db("guard_tty");
    let url = db.url().to_string();
    let name = db.name().to_string();
    let proj = demo();
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    mig.with(["protect", "--reason", "on call"]).ok();
    pg_exec(&url, "INSERT INTO zero_admin.inbox_items (tenant_id, source, content_hash) VALUES (gen_random_uuid(), 'api', 'h1')");
    let rows = || pg_query(&url, "SELECT count(*)::text FROM zero_admin.inbox_items");

    // A wrong name: refused, nothing touched.
    let (code, output) = on_terminal(
        dir,
        "not-it",
        false,
        &["--url", &url, "reset", "--no-backup"],
    );
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains(&format!(
            "About to reset (rebuild) the database `{name}` (protected: marked by `mig protect` ("
        )),
        "{output}"
    );
    assert!(
        output.contains(&format!(
            "`not-it` is not the database's name `{name}`; nothing was changed"
        )),
        "{output}"
    );
    assert_eq!(rows(), ["1"]);

    // Ctrl-C during the countdown: cancelled, nothing touched.
    let (code, output) = on_terminal(dir, &name, true, &["--url", &url, "reset", "--no-backup"]);
    assert_eq!(code, 130, "{output}");
    assert!(
        output.contains(
            "Going to reset (rebuild) the database in 5 seconds; press Ctrl-C to cancel: 5"
        ),
        "{output}"
    );
    assert!(
        output.contains("FAILED: cancelled: nothing was changed"),
        "{output}"
    );
    assert_eq!(rows(), ["1"]);
    assert!(
        pg_query(
            &url,
            "SELECT count(*)::text FROM zero_admin.mig_history WHERE direction = 'reset'"
        ) == ["0"]
    );

    // The right name, the full countdown: the reset runs.
    let (code, output) = on_terminal(dir, &name, false, &["--url", &url, "reset", "--no-backup"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(" 5 4 3 2 1"), "{output}");
    assert!(
        output.contains(&format!("Reset `{name}` with strategy rebuild:")),
        "{output}"
    );
    assert_eq!(rows(), ["0"]);
}
