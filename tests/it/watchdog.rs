//! A SIGKILLed owner leaves no server and no directory behind: this test re-runs itself as a
//! child process (`MIG_IT_WATCHDOG_CHILD=1`) that starts a private server and then hangs.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mig::provision::EphemeralPostgres;

use crate::support::{process_running, processes_mentioning};

const CHILD_ENV: &str = "MIG_IT_WATCHDOG_CHILD";
const TEST_NAME: &str = "watchdog::sigkilled_owner_leaves_no_server_and_no_directory";

#[test]
fn sigkilled_owner_leaves_no_server_and_no_directory() {
    if std::env::var_os(CHILD_ENV).is_some() {
        let server = EphemeralPostgres::start().unwrap();
        println!(
            "READY {} {}",
            server.pid().unwrap(),
            server.socket_dir().display()
        );
        std::thread::sleep(Duration::from_secs(120));
        panic!("the parent test should have killed this process");
    }

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        // libtest prints the test's name on the same line first.
        .find_map(|line| Some(line.split_once("READY ")?.1.to_string()))
        .expect("the child reports its server");
    let (pid, root) = ready.split_once(' ').unwrap();
    let pid: u32 = pid.parse().unwrap();
    let root = PathBuf::from(root);
    assert!(process_running(pid), "the child's server is not running");
    assert!(root.exists());

    child.kill().unwrap(); // SIGKILL: no destructor runs
    child.wait().unwrap();

    let deadline = Instant::now() + Duration::from_secs(15);
    while (root.exists() || process_running(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!process_running(pid), "postmaster {pid} outlived its owner");
    assert!(!root.exists(), "`{}` outlived its owner", root.display());
    let leftovers = processes_mentioning(&root.display().to_string());
    assert!(
        leftovers.is_empty(),
        "processes still mention the dir: {leftovers:?}"
    );
}
