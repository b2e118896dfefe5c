//! `mig backup` (the backup `reset` takes first) on PostgreSQL and SQLite: manifest
//! counts equal `count(*)`, the data is there, and reading back catches a changed
//! manifest.

use crate::seed_support::{demo, lite_exec_all, sqlite_url, upgraded_and_seeded};
use crate::support::project::{project_with_seeds, revision};
use crate::support::{block_on, pg_db, pg_query, Mig};

#[test]
fn postgresql_backup_is_a_verified_pg_dump_directory() {
    let db = pg_db("backup_pg");
    let url = db.url().to_string();
    let proj = demo();
    let dir = proj.path();
    upgraded_and_seeded(dir, &url);
    let mig = Mig::new(dir).url(&url);
    let out_dir = dir.join("bk");
    let out = mig
        .with(["backup", "--out", out_dir.to_str().unwrap()])
        .ok();
    assert!(
        out.starts_with(&format!("Backup written to {} (", out_dir.display())),
        "{out}"
    );
    assert!(out.ends_with("verified against its manifest.\n"), "{out}");
    assert!(out_dir.join("data/toc.dat").is_file());

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["format_version"], 1);
    assert_eq!(manifest["database"], db.name());
    assert_eq!(manifest["revisions"][0], "251018_schema_v1_inbox");
    assert_eq!(manifest["data_format"], "pg_dump-directory");
    let tables = manifest["tables"].as_array().unwrap();
    for table in tables {
        let (schema, name) = (
            table["schema"].as_str().unwrap(),
            table["name"].as_str().unwrap(),
        );
        if name == "mig_history" {
            continue; // the backup's own row came after it
        }
        let count = pg_query(
            &url,
            &format!("SELECT count(*)::text FROM \"{schema}\".\"{name}\""),
        );
        assert_eq!(table["rows"].to_string(), count[0], "{schema}.{name}");
    }
    let outbox = tables.iter().find(|t| t["name"] == "event_outbox").unwrap();
    assert_eq!(outbox["rows"], 3);
    assert_eq!(
        pg_query(
            &url,
            "SELECT reason FROM zero_admin.mig_history WHERE direction = 'backup'"
        ),
        [format!(
            "backup: {} ({} tables, {} rows)",
            out_dir.display(),
            tables.len(),
            tables
                .iter()
                .map(|t| t["rows"].as_u64().unwrap())
                .sum::<u64>()
        )]
    );

    // Reading back catches a manifest that no longer matches the data.
    assert!(block_on(mig::backup::verify(&out_dir, 0)).is_ok());
    let text = std::fs::read_to_string(out_dir.join("manifest.json")).unwrap();
    let sha = outbox["sha256"].as_str().unwrap();
    std::fs::write(
        out_dir.join("manifest.json"),
        text.replace(sha, &"0".repeat(64)),
    )
    .unwrap();
    let err = block_on(mig::backup::verify(&out_dir, 0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "does not match its manifest: `zero_admin.event_outbox`: the data's SHA-256 differs"
        ),
        "{err}"
    );
}

#[test]
fn sqlite_backup_is_vacuum_into_and_verified() {
    let rev = revision(
        "r1",
        "",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);",
        "DROP TABLE items;",
    );
    let proj = project_with_seeds(&[("r1.sql", &rev)], &[]);
    let dir = proj.path();
    let file = dir.join("app.db");
    let url = sqlite_url(&file);
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    lite_exec_all(
        &file,
        "INSERT INTO items VALUES (1, 'a'), (2, NULL), (3, 'it''s');",
    );
    let out = mig.with(["--format", "json", "backup"]).ok();
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let path = std::path::PathBuf::from(report["path"].as_str().unwrap());
    assert!(path.starts_with(dir.join("backups")), "{}", path.display());
    assert!(path
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .ends_with("_app.db"));
    assert!(path.join("database.sqlite").is_file());
    let tables = report["manifest"]["tables"].as_array().unwrap();
    let items = tables.iter().find(|t| t["name"] == "items").unwrap();
    assert_eq!(items["rows"], 3);
    assert!(block_on(mig::backup::verify(&path, 0)).is_ok());
    lite_exec_all(
        &path.join("database.sqlite"),
        "DELETE FROM items WHERE id = 3;",
    );
    let err = block_on(mig::backup::verify(&path, 0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`items` has 2 rows in the backup, 3 in the manifest"),
        "{err}"
    );
}
