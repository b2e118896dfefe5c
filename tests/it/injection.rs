//! Configured names never run as SQL (issue 9 item 1): a `search_path` that is not a list
//! of names is refused at load with exit 2, naming the key and where it came from (ini
//! file and line, environment variable, flag), online and with `--sql`; names that are
//! legal after quoting (a quoted `search_path` element, a `version_table` with quotes)
//! reach SQL as one quoted name.

use std::path::Path;

use crate::support::project::project_with_ini;
use crate::support::{pg_db, pg_query, Mig};

const PAYLOAD: &str = "\"public\"; DROP TABLE important; --";

const REVISION: &str = "-- one\n--\n-- Revision ID: r1\n-- Revises:\n\n\
                        -- migrate:upgrade\nCREATE TABLE one (id int);\n\n\
                        -- migrate:downgrade\nDROP TABLE one;\n";

/// A project whose `[mig]` section holds `mig_lines`.
fn project(mig_lines: &str) -> tempfile::TempDir {
    let ini = format!(
        "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n{mig_lines}\n"
    );
    project_with_ini(&ini, &[("r1_one.sql", REVISION)])
}

fn tables(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
}

/// Runs `args` and asserts the payload was refused at load, naming `source`.
fn refused(dir: &Path, env: &[(&str, &str)], args: &[&str], source: &str) {
    let out = Mig::new(dir).envs(env).args(args).run();
    let stderr = out.stderr.as_str();
    assert_eq!(out.code, 2, "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!(
            "FAILED: invalid value `{PAYLOAD}` for `search_path` {source}: element 1"
        )),
        "{args:?}: {stderr}"
    );
    assert!(stderr.contains("closing double quote"), "{stderr}");
    let stdout = out.stdout.as_str();
    assert!(!stdout.contains("DROP TABLE important"), "{stdout}");
}

#[test]
fn a_search_path_payload_is_refused_from_ini_env_and_flag_online_and_offline() {
    let db = pg_db("injection_refused");
    let url = db.url().to_string();
    pg_query(&url, "CREATE TABLE important (id int)");

    let plain = project("");
    let in_ini = project(&format!("search_path = {PAYLOAD}"));
    let env = [("MIG_SEARCH_PATH", PAYLOAD)];
    for args in [
        vec!["--url", url.as_str(), "current"],
        vec!["--url", url.as_str(), "upgrade", "head"],
        vec!["upgrade", "head", "--sql"],
    ] {
        refused(
            in_ini.path(),
            &[],
            &args,
            "in `[mig]` of `alembic.ini` line 6",
        );
        refused(
            plain.path(),
            &env,
            &args,
            "from environment variable `MIG_SEARCH_PATH`",
        );
        let mut with_flag = vec!["--search-path", PAYLOAD];
        with_flag.extend(&args);
        refused(plain.path(), &[], &with_flag, "from the command line");
    }
    assert_eq!(tables(&url), ["important"]);
}

#[test]
fn names_legal_after_quoting_reach_sql_as_one_name() {
    let db = pg_db("injection_quoted");
    let url = db.url().to_string();
    pg_query(&url, "CREATE TABLE important (id int)");
    pg_query(&url, "CREATE SCHEMA \"x; DROP TABLE important; --\"");
    let dir = project("");
    let env = [
        ("MIG_SEARCH_PATH", "\"x; DROP TABLE important; --\", public"),
        ("MIG_VERSION_TABLE", "v\"; DROP TABLE important; --"),
    ];

    let out = Mig::new(dir.path())
        .envs(&env)
        .args(["upgrade", "head", "--sql"])
        .run();
    assert!(out.code == 0, "{}", out.stderr.as_str());
    let sql = out.stdout.as_str();
    assert!(
        sql.starts_with(
            "SET search_path TO \"x; DROP TABLE important; --\", public;\n\nBEGIN;\n\n\
             CREATE TABLE \"v\"\"; DROP TABLE important; --\" ("
        ),
        "{sql}"
    );

    let out = Mig::new(dir.path())
        .envs(&env)
        .args(["--url", &url, "upgrade", "head"])
        .run();
    assert!(out.code == 0, "{}", out.stderr.as_str());
    assert_eq!(tables(&url), ["important"]);
    let created = pg_query(
        &url,
        "SELECT schemaname || '.' || tablename FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'public') ORDER BY 1",
    );
    assert_eq!(
        created,
        [
            "x; DROP TABLE important; --.mig_history",
            "x; DROP TABLE important; --.one",
            "x; DROP TABLE important; --.v\"; DROP TABLE important; --"
        ]
    );
    let out = Mig::new(dir.path())
        .envs(&env)
        .args(["--url", &url, "current"])
        .run();
    assert_eq!(out.stdout.as_str(), "r1 (head)\n");
}
