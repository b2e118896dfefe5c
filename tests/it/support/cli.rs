//! The one way the tests run the `mig` binary: a builder
//! (`Mig::new(dir).url(url).args([..]).env(k, v).run()`, or `.spawn()` to drive a run
//! that is still going) that starts it in `dir` with no configuration from the test's
//! own environment, and the finished [`Run`] with its checks (`.success()`, `.code(n)`)
//! and a redacted form for snapshots. It must not know any test's project layout or
//! database.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::sync::OnceLock;

use regex::Regex;

/// The environment mig reads its configuration, protection signals and operator from:
/// removed from every run unless a test sets it again with [`Mig::env`].
const CLEARED: &[&str] = &[
    "DATABASE_URL",
    "ALEMBIC_CONFIG",
    "MIG_ENV",
    "RAILWAY_ENVIRONMENT",
    "FLY_APP_NAME",
];

/// The operator every run records (`USER@HOSTNAME`), so history rows and reports read
/// the same on every machine.
const OPERATOR: (&str, &str) = ("deployer", "ci1");

/// One `mig` invocation, not started yet.
#[derive(Clone, Debug)]
pub struct Mig {
    dir: PathBuf,
    args: Vec<OsString>,
    env: Vec<(OsString, Option<OsString>)>,
    wrapper: Vec<OsString>,
}

impl Mig {
    /// `mig` in working directory `dir`, with every `MIG_*` variable and the others mig
    /// reads (`DATABASE_URL`, `ALEMBIC_CONFIG`, the deployment signals) removed, and the
    /// operator fixed to `deployer@ci1`.
    pub fn new(dir: impl AsRef<Path>) -> Mig {
        let mut env: Vec<(OsString, Option<OsString>)> = std::env::vars_os()
            .map(|(name, _)| name)
            .filter(|name| name.to_string_lossy().starts_with("MIG_"))
            .chain(CLEARED.iter().map(OsString::from))
            .map(|name| (name, None))
            .collect();
        env.push(("USER".into(), Some(OPERATOR.0.into())));
        env.push(("HOSTNAME".into(), Some(OPERATOR.1.into())));
        Mig {
            dir: dir.as_ref().to_path_buf(),
            args: Vec::new(),
            env,
            wrapper: Vec::new(),
        }
    }

    /// `--url URL` (a global option, so it goes where it is called: usually first).
    pub fn url(self, url: impl AsRef<OsStr>) -> Mig {
        self.arg("--url").arg(url)
    }

    /// `-c PATH`: the configuration file.
    pub fn config(self, path: impl AsRef<OsStr>) -> Mig {
        self.arg("-c").arg(path)
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Mig {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Mig
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// Sets `name` for this run (after the clean-up, so it wins).
    pub fn env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Mig {
        let name = name.as_ref().to_os_string();
        self.env.retain(|(n, _)| *n != name);
        self.env.push((name, Some(value.as_ref().to_os_string())));
        self
    }

    /// Sets each `(name, value)`.
    pub fn envs(self, vars: &[(&str, &str)]) -> Mig {
        vars.iter()
            .fold(self, |mig, (name, value)| mig.env(name, value))
    }

    /// Removes `name` from this run's environment.
    pub fn env_remove(mut self, name: impl AsRef<OsStr>) -> Mig {
        let name = name.as_ref().to_os_string();
        self.env.retain(|(n, _)| *n != name);
        self.env.push((name, None));
        self
    }

    /// Runs `program args... <mig> <mig args>...` instead of mig itself, with mig's
    /// directory and environment: for a driver that puts mig on a pseudo-terminal, or a
    /// shell that changes its working directory first.
    pub fn via<I, S>(mut self, program: impl AsRef<OsStr>, args: I) -> Mig
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.wrapper = std::iter::once(program.as_ref().to_os_string())
            .chain(args.into_iter().map(|a| a.as_ref().to_os_string()))
            .collect();
        self
    }

    /// A copy with `args` appended: `let mig = Mig::new(dir).url(url);` once, then
    /// `mig.with(["current"]).ok()` for each run.
    pub fn with<I, S>(&self, args: I) -> Mig
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.clone().args(args)
    }

    /// The command as configured.
    fn command(&self) -> Command {
        let mut command = match self.wrapper.split_first() {
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(env!("CARGO_BIN_EXE_mig"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_mig")),
        };
        command.args(&self.args).current_dir(&self.dir);
        for (name, value) in &self.env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        command
    }

    /// Runs to the end and collects what it printed.
    pub fn run(self) -> Run {
        let output = self
            .command()
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", self.describe()));
        Run::new(self, output)
    }

    /// Runs, asserts exit 0, and returns stdout.
    pub fn ok(self) -> String {
        self.run().success().stdout
    }

    /// Starts the run without waiting, stdout and stderr piped.
    pub fn spawn(self) -> Spawned {
        let child = self
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", self.describe()));
        Spawned {
            mig: self,
            child,
            stderr: None,
        }
    }

    fn describe(&self) -> String {
        let args: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        format!("`mig {}` in `{}`", args.join(" "), self.dir.display())
    }
}

/// A started run.
pub struct Spawned {
    mig: Mig,
    child: Child,
    /// Stderr once [`Spawned::stderr_until`] took it from the child, and what it read.
    stderr: Option<(BufReader<ChildStderr>, String)>,
}

impl Spawned {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child process itself (to poll or kill it).
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Sends signal `name` (`TERM`, `INT`, ...) with `kill`.
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([format!("-{name}"), self.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -{name} {}", self.id());
    }

    /// Reads stderr until a line contains `marker` (failing if the run ends first) and
    /// returns all of stderr read so far.
    pub fn stderr_until(&mut self, marker: &str) -> String {
        let (reader, seen) = self.stderr.get_or_insert_with(|| {
            let pipe = self.child.stderr.take().expect("stderr is piped");
            (BufReader::new(pipe), String::new())
        });
        loop {
            let mut line = String::new();
            let read = reader.read_line(&mut line).expect("read stderr");
            assert!(read > 0, "mig ended before `{marker}`:\n{seen}");
            seen.push_str(&line);
            if line.contains(marker) {
                return seen.clone();
            }
        }
    }

    /// Waits for the end and collects what it printed (all of stderr, also what
    /// [`Spawned::stderr_until`] read).
    pub fn wait(self) -> Run {
        let rest = self.stderr.map(|(mut reader, seen)| {
            std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
                seen + &rest
            })
        });
        let mut output = self.child.wait_with_output().expect("wait for mig");
        if let Some(rest) = rest {
            output.stderr = rest.join().expect("the stderr reader").into_bytes();
        }
        Run::new(self.mig, output)
    }
}

/// A finished run: exit code (-1 when killed by a signal) and both streams.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    mig: Mig,
}

impl Run {
    fn new(mig: Mig, output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            mig,
        }
    }

    /// Asserts exit 0.
    #[track_caller]
    pub fn success(self) -> Run {
        self.code(0)
    }

    /// Asserts exit `code`.
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            code,
            "{}\n--- stdout:\n{}--- stderr:\n{}",
            self.mig.describe(),
            self.stdout,
            self.stderr
        );
        self
    }

    /// The same run with its streams redacted (see [`redact`]).
    pub fn redacted(&self) -> Run {
        Run {
            code: self.code,
            stdout: redact(&self.stdout, &self.mig.dir),
            stderr: redact(&self.stderr, &self.mig.dir),
            mig: self.mig.clone(),
        }
    }
}

/// `text` with what differs between runs replaced: the run's directory by `[DIR]`, other
/// temp paths by `[TEMP]`, generated timestamp revision ids by `[REV]`, date-times by
/// `[TIME]`, dates by `[DATE]`, durations by `[DURATION]`, ports of URLs by `[PORT]` and
/// process ids by `[PID]`.
pub fn redact(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    let mut dirs = vec![dir.display().to_string()];
    if let Ok(real) = dir.canonicalize() {
        dirs.push(real.display().to_string());
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for dir in dirs.iter().filter(|d| d.len() > 1) {
        text = text.replace(dir.as_str(), "[DIR]");
    }
    for (pattern, token) in patterns() {
        text = pattern.replace_all(&text, *token).into_owned();
    }
    text
}

fn patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let temp = regex::escape(&std::env::temp_dir().display().to_string());
        let temp = temp.trim_end_matches('/');
        [
            (format!(r"{temp}/\.tmp[[:alnum:]]+"), "[TEMP]"),
            // A timestamp id (`%Y%m%d%H%M%S`, `_2` when one second made several), also
            // in a file name (`<id>_<slug>.sql`).
            (r"(^|\D)\d{14}(_\d+)?(\D|$)".to_string(), "${1}[REV]${3}"),
            (
                r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( ?(UTC|Z|[+-]\d{2}(:?\d{2})?))?"
                    .to_string(),
                "[TIME]",
            ),
            (r"\b\d{4}-\d{2}-\d{2}\b".to_string(), "[DATE]"),
            // Alignment before a duration depends on its width: one space is kept.
            (
                r"([ \t]?)[ \t]*\b\d+(\.\d+)? ?(ms|s)\b".to_string(),
                "${1}[DURATION]",
            ),
            (
                r"(@[^\s/:@]*|localhost|127\.0\.0\.1):\d{2,5}\b".to_string(),
                "$1:[PORT]",
            ),
            (r"\bport=\d+".to_string(), "port=[PORT]"),
            (r"\b(pid|PID) \d+".to_string(), "$1 [PID]"),
        ]
        .into_iter()
        .map(|(pattern, token)| (Regex::new(&pattern).expect("a redaction pattern"), token))
        .collect()
    })
}
