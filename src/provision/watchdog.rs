//! The watchdog: a tiny detached `sh` that cleans up a private server when its owner dies
//! without doing so itself (SIGKILL, a panic in a static, Ctrl-C). It only stops the one
//! server it was told about and removes the one directory it was given.
//!
//! The owner holds the write end of the watchdog's stdin. It sends `pid <postmaster pid>`
//! once the server runs, and `released` after cleaning up itself. When the owner dies the
//! kernel closes the pipe, `read` sees end-of-file, and the watchdog sends the postmaster
//! SIGQUIT (what `pg_ctl stop -m immediate` does), waits for `postmaster.pid` to go, and
//! removes the directory. A pipe rather than polling a pid: it cannot be fooled by pid reuse.

use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use super::ProvisionError;

/// $1: data directory, $2: directory to remove.
const SCRIPT: &str = r#"
pid=
while IFS= read -r line; do
  case "$line" in
    released) exit 0 ;;
    "pid "*) pid="${line#pid }" ;;
  esac
done
if [ -n "$pid" ]; then
  kill -QUIT "$pid" 2>/dev/null
  i=0
  while [ -e "$1/postmaster.pid" ] && [ "$i" -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
  done
  if [ -e "$1/postmaster.pid" ]; then kill -KILL "$pid" 2>/dev/null; fi
fi
rm -rf "$2"
"#;

/// A running watchdog; see the module documentation.
#[derive(Debug)]
pub struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Watchdog {
    /// Starts a watchdog for the server in `data_dir`, which will remove `remove` on its own
    /// when this process dies first.
    pub fn spawn(data_dir: &Path, remove: &Path) -> Result<Watchdog, ProvisionError> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("mig-watchdog")
            .arg(data_dir)
            .arg(remove)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Own process group: a terminal's Ctrl-C must not kill the cleaner with its owner.
            .process_group(0)
            .spawn()
            .map_err(|source| ProvisionError::Spawn {
                program: "/bin/sh".into(),
                error: source,
            })?;
        let stdin = child.stdin.take();
        Ok(Watchdog { child, stdin })
    }

    /// Tells the watchdog which postmaster to stop if this process dies.
    pub fn watch_pid(&mut self, pid: u32) {
        self.send(&format!("pid {pid}"));
    }

    /// The owner cleaned up itself: the watchdog exits without touching anything.
    pub fn release(mut self) {
        self.send("released");
        self.stdin = None;
        let _ = self.child.wait();
    }

    fn send(&mut self, line: &str) {
        if let Some(stdin) = self.stdin.as_mut() {
            // A dead watchdog cannot be helped here; cleanup then rests on the owner's Drop.
            let _ = writeln!(stdin, "{line}").and_then(|()| stdin.flush());
        }
    }
}
