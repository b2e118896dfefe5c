//! The real SARIF 2.1.0 schema and Microsoft's SARIF validator, fetched from their
//! registries on first use into `$CARGO_TARGET_TMPDIR` and reused by later runs (as the
//! Alembic venv is): the npm package `@microsoft/sarif-multitool-linux` ships both the
//! standard's JSON schema (`sarif-2.1.0.json`) and `Sarif.Multitool validate` (the schema
//! plus the SARIF rules); a venv of the tests' own holds `jsonschema` from PyPI, which
//! checks the schema independently (the multitool passes a log it cannot read without a
//! word). Panics with the tool's output when something cannot be installed: the tests
//! must not skip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::venv::{self, run};

const MULTITOOL: &str = "@microsoft/sarif-multitool-linux@5.7.0";
const JSONSCHEMA: &[&str] = &["jsonschema==4.26.0", "rfc3987==1.3.8"];

struct Tools {
    /// `package/` of the npm package: `Sarif.Multitool` and `sarif-2.1.0.json`.
    multitool: PathBuf,
    python: PathBuf,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| Tools {
        multitool: multitool(),
        python: venv(),
    })
}

/// Where the schema is.
pub fn schema() -> PathBuf {
    tools().multitool.join("sarif-2.1.0.json")
}

/// Asserts that `sarif` is valid: no [`problems`].
pub fn assert_valid(sarif: &str) {
    let problems = problems(sarif);
    assert!(problems.is_empty(), "{}\n{sarif}", problems.join("\n"));
}

/// What is wrong with `sarif`: the errors of the SARIF 2.1.0 schema (jsonschema, Draft
/// 2020-12, with format checks) and of `Sarif.Multitool validate`.
pub fn problems(sarif: &str) -> Vec<String> {
    let tools = tools();
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("log.sarif");
    std::fs::write(&log, sarif).expect("write log");
    let mut problems = Vec::new();

    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  log = json.load(open(sys.argv[2]))\n\
                  v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)\n\
                  for e in v.iter_errors(log): print(f'schema: {list(e.absolute_path)}: {e.message}')\n";
    let out = Command::new(&tools.python)
        .args(["-c", script])
        .arg(schema())
        .arg(&log)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "jsonschema failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    problems.extend(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string),
    );

    let report = dir.path().join("validation.sarif");
    let out = Command::new(tools.multitool.join("Sarif.Multitool"))
        .arg("validate")
        .arg(&log)
        .arg("--output")
        .arg(&report)
        .arg("--json-schema")
        .arg(schema())
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run Sarif.Multitool");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "Sarif.Multitool validate failed:\n{said}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("validation log"))
            .expect("validation log json");
    let results = report["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for result in results.iter().filter(|r| r["level"] == "error") {
        problems.push(format!("Sarif.Multitool: {result}"));
    }
    // A log it reads always gets its advice to give `informationUri` (SARIF2005), which
    // mig's driver has no address for; a log it cannot read gets no result at all.
    if !results.iter().any(|r| r["ruleId"] == "SARIF2005") {
        problems.push(format!("Sarif.Multitool did not analyse the log: {said}"));
    }
    problems
}

/// The multitool's npm package, unpacked.
fn multitool() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool");
    let package = root.join("package");
    if package.join("sarif-2.1.0.json").is_file() {
        return package;
    }
    let staging = root.with_extension(format!("staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).expect("mkdir");
    run(Command::new("npm")
        .args(["pack", "--silent", MULTITOOL, "--pack-destination"])
        .arg(&staging));
    let tarball = std::fs::read_dir(&staging)
        .expect("read staging")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        .unwrap_or_else(|| panic!("npm pack {MULTITOOL} wrote no tarball"));
    run(Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&staging));
    make_executable(&staging.join("package").join("Sarif.Multitool"));
    let _ = std::fs::remove_dir_all(&root);
    if std::fs::rename(&staging, &root).is_err() {
        // Another process won the race; use its copy.
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(
        package.join("sarif-2.1.0.json").is_file(),
        "{MULTITOOL} not unpacked"
    );
    package
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions();
    permissions.set_mode(0o755);
    std::fs::set_permissions(path, permissions).expect("chmod");
}

/// A venv with `jsonschema`.
fn venv() -> PathBuf {
    venv::python("sarif-venv", JSONSCHEMA, "import jsonschema, rfc3987")
}
