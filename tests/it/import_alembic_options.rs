//! `mig import alembic` beyond the PostgreSQL shop project: a SQLite project keeps its
//! database file, `--dialect` renders for another dialect, `env.py`'s version-table
//! options carry over, a missing interpreter is named, several version locations keep
//! their layout, and `--check` exits 1 on a difference.

use crate::compat::alembic::{alembic, text};
use crate::import_alembic::{sorted_lines, Fixture, OFFLINE_URL};
use crate::support::Mig;

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
    let mig = Mig::new(f.out());
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
    let sql = Mig::new(f.out()).args(["upgrade", "0001", "--sql"]).run();
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
    assert_eq!(Mig::new(f.out()).args(args).run().stdout, expected);
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
    assert_eq!(Mig::new(f.out()).args(args).run().stdout, text(&a.stdout));
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
