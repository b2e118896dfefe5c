//! `mig protect` / `mig unprotect` through the binary on PostgreSQL and SQLite: the
//! marker beside the version table, the confirmation of the name, the history rows.

use crate::seed_support::{demo, lite_strings, sqlite_url};
use crate::support::project::project_with_seeds;
use crate::support::{pg_db, pg_query, Mig};

#[test]
fn protect_and_unprotect_on_postgresql() {
    let db = pg_db("guard_pg");
    let url = db.url().to_string();
    let proj = demo();
    let dir = proj.path();
    let name = db.name().to_string();
    let mig = Mig::new(dir).url(&url);
    let out = mig.with(["protect", "--reason", "live orders"]).ok();
    assert!(
        out.starts_with(&format!(
            "Database `{name}` is protected: marked by `mig protect` ("
        )),
        "{out}"
    );
    assert!(out.contains(": live orders)."), "{out}");
    assert_eq!(
        pg_query(
            &url,
            "SELECT name || ' ' || reason FROM zero_admin.mig_environment"
        ),
        [format!("{name} live orders")]
    );

    let err = mig
        .with(["unprotect", "--confirm", "prod"])
        .run()
        .code(2)
        .stderr;
    assert_eq!(
        err,
        format!(
            "FAILED: `--confirm prod` is not the database's name `{name}`; nothing was changed\n"
        )
    );
    assert_eq!(
        pg_query(
            &url,
            "SELECT count(*)::text FROM zero_admin.mig_environment"
        ),
        ["1"]
    );

    // The environment keeps it protected after the marker is gone.
    let out = mig
        .with(["unprotect", "--confirm", &name])
        .env("FLY_APP_NAME", "aquarius")
        .run();
    assert!(out.code == 0);
    assert_eq!(
        out.stdout,
        format!("Database `{name}` is protected: the environment says production (FLY_APP_NAME=aquarius).\n")
    );
    assert_eq!(
        pg_query(
            &url,
            "SELECT count(*)::text FROM zero_admin.mig_environment"
        ),
        ["0"]
    );
    assert_eq!(
        mig.with(["unprotect", "--confirm", &name]).ok(),
        format!("Database `{name}` is not protected.\n")
    );
    assert_eq!(
        pg_query(&url, "SELECT reason FROM zero_admin.mig_history WHERE direction = 'protect' ORDER BY started_at"),
        [format!("protected `{name}`: live orders"), format!("unprotected `{name}`")]
    );
}

#[test]
fn protect_on_sqlite_names_the_file() {
    let proj = project_with_seeds(&[], &[]);
    let dir = proj.path();
    let file = dir.join("shop.db");
    let url = sqlite_url(&file);
    let mig = Mig::new(dir).url(&url);
    let out = mig.with(["--format", "json", "protect"]).ok();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["database"], "shop.db");
    assert_eq!(json["marker"]["name"], "shop.db");
    assert_eq!(
        lite_strings(&file, "SELECT name FROM mig_environment"),
        ["shop.db"]
    );
    mig.with(["unprotect", "--confirm", "shop.db"]).ok();
    assert!(lite_strings(&file, "SELECT name FROM mig_environment").is_empty());
}
