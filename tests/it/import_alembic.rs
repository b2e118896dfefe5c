//! `mig import alembic` on a real Alembic project (tests/fixtures/import/shop: op.* calls,
//! a data migration, a labelled branch, a merge, a depends_on, an autocommit block, an
//! irreversible downgrade and a revision that reads the database), with real Alembic
//! from the test venv: the import and its report, byte-for-byte offline SQL against
//! Alembic, a roundtrip of the result, and a database Alembic migrated halfway that mig
//! continues.

use std::path::{Path, PathBuf};

use crate::compat::alembic::{alembic, python_bin};
use crate::support;
use crate::support::{Mig, Run};

/// A copy of fixture `case` in a temp dir (`<tmp>/<case>`), with `sqlalchemy.url` set.
struct Fixture {
    tmp: tempfile::TempDir,
    alembic_dir: PathBuf,
}

impl Fixture {
    fn new(case: &str, url: &str) -> Fixture {
        let tmp = tempfile::tempdir().expect("tempdir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(case);
        let alembic_dir = tmp.path().join(case);
        copy_dir(&src, &alembic_dir);
        let ini = alembic_dir.join("alembic.ini");
        let text = std::fs::read_to_string(&ini).expect("read ini");
        let text: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with("sqlalchemy.url") {
                    format!("sqlalchemy.url = {}", url.replace('%', "%%"))
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&ini, text.join("\n") + "\n").expect("write ini");
        Fixture { tmp, alembic_dir }
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("converted")
    }

    /// `mig import alembic --from <fixture> --out <tmp>/converted ARGS`, run in the temp dir.
    fn import(&self, args: &[&str]) -> Run {
        let python = python_bin().display().to_string();
        let mut all = vec!["import", "alembic", "--from", "shop", "--out", "converted"];
        all.extend_from_slice(&["--python", &python]);
        all.extend_from_slice(args);
        Mig::new(self.tmp.path()).args(&all).run()
    }

    fn converted_file(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join("versions").join(name)).expect("converted file")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sorted_lines(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = s.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

const OFFLINE_URL: &str = "postgresql://mig@localhost/shop";

#[test]
fn import_stops_at_a_revision_that_reads_the_database_and_writes_nothing() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let run = f.import(&[]);
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(
            "  - 0009 (versions/0009_lowercase_emails.py): AttributeError: 'NoneType' object \
             has no attribute 'fetchall'"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    // Nothing at --out, no staging directory left beside it, nothing added to the project.
    let left: Vec<String> = std::fs::read_dir(f.tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["shop".to_string()]);
    assert!(!f.alembic_dir.join("versions/__pycache__").exists());
}

#[test]
fn import_keeps_the_graph_and_matches_alembic_offline() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let run = f.import(&["--skip-failing", "--format", "json"]);
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json report");
    let status = |id: &str| {
        report["revisions"]
            .as_array()
            .and_then(|revs| revs.iter().find(|r| r["id"] == id))
            .map(|r| {
                (
                    r["status"].as_str().unwrap_or("").to_string(),
                    r["reason"].clone(),
                )
            })
            .unwrap_or_else(|| panic!("{id} not in the report: {report}"))
    };
    assert_eq!(status("0001").0, "converted");
    assert_eq!(
        status("0006").0,
        "converted",
        "a merge's empty downgrade is not irreversible"
    );
    assert_eq!(
        status("0008"),
        (
            "irreversible".into(),
            "Alembic's downgrade() raised NotImplementedError: deleted orders cannot be restored"
                .into()
        )
    );
    assert_eq!(
        status("0009"),
        (
            "skipped".into(),
            "AttributeError: 'NoneType' object has no attribute 'fetchall'".into()
        )
    );
    assert_eq!(report["revisions"].as_array().map(Vec::len), Some(10));
    for check in report["checks"].as_array().expect("checks") {
        assert_eq!(check["ok"], true, "{check}");
    }

    let ini = std::fs::read_to_string(f.out().join("alembic.ini")).expect("ini");
    assert!(
        ini.contains("\nfile_template = %%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s\n"),
        "{ini}"
    );

    // The headers carry Alembic's graph.
    let merge = f.converted_file("0006_merge_billing_and_orders.sql");
    assert!(merge.starts_with(
        "-- merge billing and orders\n--\n-- Revision ID: 0006\n-- Revises: 0004, 0005\n\
         -- Create Date: 2025-01-12 09:00:00.000000\n"
    ));
    assert!(f
        .converted_file("0004_billing_invoices.sql")
        .contains("\n-- Branch Labels: billing\n"));
    assert!(f
        .converted_file("0005_orders.sql")
        .contains("\n-- Depends On: a001\n"));
    let concurrently = f.converted_file("0007_index_orders_created_at.sql");
    assert!(concurrently.contains("\n-- Transaction: none\n"));
    assert!(concurrently.contains(
        "-- migrate:upgrade\nCREATE INDEX CONCURRENTLY ix_orders_created_at ON orders (created_at);\n"
    ));
    assert!(f.converted_file("0008_drop_orphan_orders.sql").ends_with(
        "-- migrate:downgrade irreversible\n-- Alembic's downgrade() raised NotImplementedError: \
         deleted orders cannot be restored\n"
    ));
    assert!(f
        .converted_file("0009_lowercase_emails.sql")
        .contains("-- migrate:upgrade\n-- TODO: Alembic could not render this upgrade offline"));

    // Through both binaries: the graph commands print the same, and the offline SQL up to
    // the last revision Alembic can render is byte for byte Alembic's.
    for args in [
        &["heads"][..],
        &["history"],
        &["branches"],
        &["upgrade", "0008", "--sql"],
        // (Not through 0006 or 0005: which row Alembic keeps when a merge or a dependency
        // comes apart depends on set order in Alembic, so it is unspecified.)
        &["downgrade", "0007:0006", "--sql"],
        &["downgrade", "0004:0003", "--sql"],
        &["upgrade", "audit@head", "--sql"],
    ] {
        let a = alembic(&f.alembic_dir, args);
        assert!(a.status.success(), "alembic {args:?}: {}", text(&a.stderr));
        let m = Mig::new(&f.out()).args(args).run();
        assert_eq!(m.code, 0, "mig {args:?}: {}", m.stderr);
        if args == ["branches"] {
            // Alembic lists a branch point's children from a frozenset: no stable order.
            assert_eq!(sorted_lines(&m.stdout), sorted_lines(&text(&a.stdout)));
        } else {
            assert_eq!(
                m.stdout,
                text(&a.stdout),
                "mig and alembic differ for {args:?}"
            );
        }
    }
}

#[test]
fn text_report_names_what_was_skipped_and_made_irreversible() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let run = f.import(&["--skip-failing", "--dialect", "postgresql"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(
        body.join("\n"),
        "  converted: 9, irreversible: 1, skipped: 1\n  \
         irreversible 0008: Alembic's downgrade() raised NotImplementedError: deleted orders \
         cannot be restored\n  \
         SKIPPED 0009 (versions/0009_lowercase_emails.sql): -- TODO body written; Alembic: \
         AttributeError: 'NoneType' object has no attribute 'fetchall'\n  \
         Transaction: none (autocommit_block): 0007\n\
         check upgrade heads --sql: same as Alembic\n\
         check heads: same as Alembic\n\
         check history: same as Alembic\n  \
         (the bodies of skipped revisions are not compared: Alembic cannot render them)"
    );
}

#[test]
fn import_refuses_a_non_empty_out_directory() {
    let f = Fixture::new("shop", OFFLINE_URL);
    std::fs::create_dir_all(f.out()).expect("mkdir");
    std::fs::write(f.out().join("keep.txt"), "mine").expect("write");
    let run = f.import(&["--skip-failing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("exists and is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(f.out().join("keep.txt"))
            .ok()
            .as_deref(),
        Some("mine")
    );
}

#[test]
fn converted_project_roundtrips_on_the_ephemeral_server() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let run = f.import(&["--skip-failing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rt = Mig::new(&f.out()).args(["roundtrip", "--ephemeral"]).run();
    assert_eq!(rt.code, 0, "stdout: {}\nstderr: {}", rt.stdout, rt.stderr);
    assert!(
        rt.stdout
            .contains("roundtrip ok: 0 findings; revisions: 9 ok, 0 residue, 0 failed, 1 skipped"),
        "{}",
        rt.stdout
    );
    assert!(
        rt.stdout.contains("`0008` is marked irreversible"),
        "{}",
        rt.stdout
    );
}

#[test]
fn mig_continues_a_database_alembic_migrated_halfway() {
    let db = support::pg_db("import_halfway");
    let f = Fixture::new("shop", &crate::cli_online::portable_url(db.url()));
    let a = alembic(&f.alembic_dir, &["upgrade", "0006"]);
    assert!(
        a.status.success(),
        "alembic upgrade 0006: {}",
        text(&a.stderr)
    );

    let run = f.import(&["--skip-failing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The same rows, read by both tools (in no particular order: neither sorts them).
    let a = alembic(&f.alembic_dir, &["current"]);
    let mig = Mig::new(&f.out());
    let m = mig.with(["current"]).run();
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert_eq!(sorted_lines(&m.stdout), sorted_lines(&text(&a.stdout)));
    assert_eq!(
        sorted_lines(&m.stdout),
        ["0006 (mergepoint)", "a001 (effective head)"]
    );

    let up = mig.with(["upgrade", "heads"]).run();
    assert_eq!(up.code, 0, "mig upgrade heads: {}", up.stderr);
    // Alembic reads mig's rows as its own.
    let a = alembic(&f.alembic_dir, &["current"]);
    let rows = sorted_lines(&text(&a.stdout));
    assert_eq!(
        rows,
        ["0009 (head)", "a001 (effective head)"],
        "{}",
        text(&a.stderr)
    );
    assert_eq!(sorted_lines(&mig.with(["current"]).run().stdout), rows);
    // What 0007 and 0008 did is there.
    let snap = mig.with(["snapshot"]).run();
    assert_eq!(snap.code, 0, "{}", snap.stderr);
    assert!(
        snap.stdout.contains("ix_orders_created_at"),
        "{}",
        snap.stdout
    );
}

#[test]
fn sqlite_project_keeps_its_database_file_and_matches_alembic() {
    // `%(here)s` in the URL is made absolute: the converted project uses the same file.
    let f = Fixture::new("shop", "sqlite:///%(here)s/shop.db");
    // (The fixture writer doubles `%`; undo it for this one URL, which is meant literally.)
    let ini = f.alembic_dir.join("alembic.ini");
    let text_ini = std::fs::read_to_string(&ini)
        .expect("ini")
        .replace("%%(here)s", "%(here)s");
    std::fs::write(&ini, text_ini).expect("ini");
    let a = alembic(&f.alembic_dir, &["upgrade", "0003"]);
    assert!(a.status.success(), "{}", text(&a.stderr));

    let run = f.import(&["--skip-failing", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(report["dialect"], "sqlite");
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c["ok"] == true),
        "{report}"
    );
    let mig = Mig::new(&f.out());
    for args in [
        &["upgrade", "0007", "--sql"][..],
        &["downgrade", "0002:base", "--sql"],
    ] {
        let a = alembic(&f.alembic_dir, args);
        assert_eq!(mig.with(args).run().stdout, text(&a.stdout), "for {args:?}");
    }
    let up = mig.with(["upgrade", "0007"]).run();
    assert_eq!(up.code, 0, "{}", up.stderr);
    let a = alembic(&f.alembic_dir, &["current"]);
    assert_eq!(
        sorted_lines(&text(&a.stdout)),
        ["0007", "a001 (effective head)"],
        "{}",
        text(&a.stderr)
    );
}

#[test]
fn dialect_flag_renders_for_another_dialect() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let run = f.import(&["--skip-failing", "--dialect", "sqlite", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(report["dialect"], "sqlite");
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c["ok"] == true),
        "{report}"
    );
    let ini = std::fs::read_to_string(f.out().join("alembic.ini")).expect("ini");
    assert!(ini.contains("\n[mig]\ndialect = sqlite\n"), "{ini}");
    // SQLite has no transactional DDL in Alembic's offline output: no BEGIN.
    let sql = Mig::new(&f.out()).args(["upgrade", "0001", "--sql"]).run();
    assert!(
        sql.stdout.starts_with("CREATE TABLE alembic_version"),
        "{}",
        sql.stdout
    );
}

#[test]
fn env_py_version_table_options_carry_over_to_the_ini() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let env_py = f.alembic_dir.join("env.py");
    let text_env = std::fs::read_to_string(&env_py).expect("env.py").replace(
        "        literal_binds=True,\n",
        "        literal_binds=True,\n        version_table=\"shop_version\",\n        \
         version_table_schema=\"app\",\n        transaction_per_migration=True,\n",
    );
    std::fs::write(&env_py, text_env).expect("env.py");
    let run = f.import(&["--skip-failing", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c["ok"] == true),
        "{report}"
    );
    let ini = std::fs::read_to_string(f.out().join("alembic.ini")).expect("ini");
    assert!(
        ini.ends_with(
            "[mig]\ndialect = postgresql\nversion_table = shop_version\n\
             version_table_schema = app\ntransaction_per_migration = true\n"
        ),
        "{ini}"
    );
    // Byte for byte, but for the schema mig creates first (alembic#659).
    let args = ["upgrade", "0002", "--sql"];
    let a = alembic(&f.alembic_dir, &args);
    let expected = format!("CREATE SCHEMA IF NOT EXISTS app;\n\n{}", text(&a.stdout));
    assert_eq!(Mig::new(&f.out()).args(&args).run().stdout, expected);
}

#[test]
fn a_missing_interpreter_is_named() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let missing = f.tmp.path().join("no-venv/bin/python");
    let shown = missing.display().to_string();
    let run = Mig::new(f.tmp.path())
        .args(["import", "alembic", "--from", "shop", "--python", &shown])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with(&format!("FAILED: Python `{shown}`: cannot run it: ")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--python"), "{}", run.stderr);
    assert!(!f.tmp.path().join("mig").exists());
}

#[test]
fn several_version_locations_keep_their_layout_and_order() {
    let f = Fixture::new("shop", OFFLINE_URL);
    let more = f.alembic_dir.join("more/sub");
    std::fs::create_dir_all(&more).expect("mkdir");
    let audit = "a001_audit_log.py";
    std::fs::rename(f.alembic_dir.join("versions").join(audit), more.join(audit)).expect("mv");
    let ini = f.alembic_dir.join("alembic.ini");
    let text_ini = std::fs::read_to_string(&ini).expect("ini").replace(
        "path_separator = os\n",
        "path_separator = os\nversion_locations = %(here)s/versions:%(here)s/more\n\
         recursive_version_locations = true\n",
    );
    std::fs::write(&ini, text_ini).expect("ini");
    let run = f.import(&["--skip-failing"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("DIFFERENT"), "{}", run.stdout);
    assert!(f.out().join("versions_2/sub/a001_audit_log.sql").is_file());
    let ini = std::fs::read_to_string(f.out().join("alembic.ini")).expect("ini");
    assert!(
        ini.contains(
            "\nversion_locations = %(here)s/versions:%(here)s/versions_2\npath_separator = os\n\
             recursive_version_locations = true\n"
        ),
        "{ini}"
    );
    let args = ["upgrade", "0008", "--sql"];
    let a = alembic(&f.alembic_dir, &args);
    assert_eq!(Mig::new(&f.out()).args(&args).run().stdout, text(&a.stdout));
}

#[test]
fn a_check_that_finds_a_difference_exits_1_and_keeps_the_result() {
    // A message of two lines: mig's header holds one, so `history` prints it differently.
    let f = Fixture::new("shop", OFFLINE_URL);
    let module = f.alembic_dir.join("versions/0002_add_users_name.py");
    let source = std::fs::read_to_string(&module).expect("module");
    std::fs::write(
        &module,
        source.replacen("add users.name\n", "add users.name\nfor greetings\n", 1),
    )
    .expect("module");
    let run = f.import(&["--skip-failing"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "check history: DIFFERENT from Alembic: entry 9: Alembic has `0001 -> 0002, add \
             users.name`, mig has `0001 -> 0002, add users.name for greetings`"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("check heads: same as Alembic"),
        "{}",
        run.stdout
    );
    assert!(f.out().join("versions/0002_add_users_name.sql").is_file());
}
