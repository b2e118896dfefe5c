//! `mig reset` on real SQLite files: rebuild drops every object the snapshot lists and
//! upgrades again, truncate deletes in foreign-key order and resets `sqlite_sequence`,
//! the backup first, and the dry run.

use crate::seed_support::{lite_exec_all, lite_strings, sqlite_url, upgraded_and_seeded};
use crate::support::project::{project_with_seeds, revision};
use crate::support::Mig;

fn sqlite_project() -> tempfile::TempDir {
    let r1 = revision(
        "r1",
        "",
        "CREATE TABLE parents (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);\n\
         CREATE TABLE kids (id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER REFERENCES parents (id));\n\
         CREATE INDEX ix_kids_parent ON kids (parent_id);\n\
         CREATE VIEW named AS SELECT name FROM parents;",
        "DROP VIEW named;\nDROP TABLE kids;\nDROP TABLE parents;",
    );
    project_with_seeds(
        &[("r1.sql", &r1)],
        &[
            (
                "a.sql",
                "-- Seed: root\nINSERT INTO parents (name) VALUES ('root');\n",
            ),
            (
                "b.sql",
                "-- Seed: demo\n-- Kind: optional\nINSERT INTO kids (parent_id) VALUES (1);\n",
            ),
        ],
    )
}

#[test]
fn sqlite_truncate_and_rebuild() {
    let proj = sqlite_project();
    let dir = proj.path();
    let file = dir.join("app.db");
    let url = sqlite_url(&file);
    upgraded_and_seeded(dir, &url);
    let mig = Mig::new(dir).url(&url);
    lite_exec_all(&file, "INSERT INTO parents (name) VALUES ('x'), ('y'); INSERT INTO kids (parent_id) VALUES (2), (3);");

    let dry = mig
        .with(["reset", "--strategy", "truncate", "--dry-run"])
        .ok();
    assert!(
        dry.contains("  empty table kids (3 rows)\n  empty table parents (3 rows)\n"),
        "{dry}"
    );
    assert_eq!(
        lite_strings(&file, "SELECT CAST(count(*) AS TEXT) FROM kids"),
        ["3"]
    );

    let out = mig
        .with(["reset", "--strategy", "truncate", "--seed", "all", "--yes"])
        .ok();
    assert!(
        out.contains("  emptied table kids (3 rows)\n  emptied table parents (3 rows)\n"),
        "{out}"
    );
    assert!(
        out.contains("  seeded root (1 rows)\n  seeded demo (1 rows)\n"),
        "{out}"
    );
    assert_eq!(
        lite_strings(&file, "SELECT id || ' ' || name FROM parents"),
        ["1 root"],
        "sqlite_sequence reset"
    );
    assert_eq!(
        lite_strings(&file, "SELECT id || ' ' || parent_id FROM kids"),
        ["1 1"]
    );
    let backups: Vec<_> = std::fs::read_dir(dir.join("backups")).unwrap().collect();
    assert_eq!(backups.len(), 1, "the backup was taken first");

    // Rebuild: every object goes and comes back from the revisions; data from the seeds.
    let snapshot_before = mig.with(["snapshot"]).ok();
    lite_exec_all(&file, "INSERT INTO parents (name) VALUES ('z');");
    let out = mig.with(["reset", "--yes", "--no-backup"]).ok();
    assert!(out.contains("  dropped view named\n"), "{out}");
    assert!(out.contains("  dropped table parents (2 rows)\n"), "{out}");
    assert!(
        out.contains("  dropped table alembic_version (1 rows)\n"),
        "{out}"
    );
    assert!(
        out.contains("  applied r1\n  seeded root (1 rows)\n"),
        "{out}"
    );
    assert_eq!(mig.with(["snapshot"]).ok(), snapshot_before);
    assert_eq!(lite_strings(&file, "SELECT name FROM parents"), ["root"]);
    assert_eq!(
        lite_strings(
            &file,
            "SELECT direction FROM mig_history WHERE direction = 'reset'"
        ),
        ["reset"],
        "the history table was rebuilt too: one reset row since"
    );
    let err = mig.with(["reset"]).run().code(2).stderr;
    assert!(
        err.contains("without a terminal to ask on: pass `--yes` or `--confirm app.db`"),
        "{err}"
    );
}

#[test]
fn sqlite_rebuild_failure_says_exactly_what_was_done() {
    let r1 = revision("r1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;");
    let r2 = revision("r2", "r1", "CREATE TABLE u (id INTEGER);", "DROP TABLE u;");
    let proj = project_with_seeds(&[("r1.sql", &r1), ("r2.sql", &r2)], &[]);
    let dir = proj.path();
    let file = dir.join("app.db");
    let url = sqlite_url(&file);
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    // r2 changed after it was applied: its new body fails when the rebuild runs it.
    let broken = revision(
        "r2",
        "r1",
        "CREATE TABLE u (id INTEGER);\nINSERT INTO missing VALUES (1);",
        "DROP TABLE u;",
    );
    std::fs::write(dir.join("versions/r2.sql"), broken).unwrap();
    let err = mig
        .with(["reset", "--yes", "--no-backup"])
        .run()
        .code(3)
        .stderr;
    assert!(
        err.contains("reset failed: the drops were committed (table alembic_version, table mig_history, table t, table u), then `upgrade heads` failed: "),
        "{err}"
    );
    assert!(err.contains("no such table: missing"), "{err}");
    assert!(
        err.contains("SQLite and `--strategy downgrade` commit step by step"),
        "{err}"
    );
    assert_eq!(
        mig.with(["current"]).ok(),
        "r1\n",
        "r1 ran again, r2 did not"
    );
    assert_eq!(
        lite_strings(
            &file,
            "SELECT CAST(success AS TEXT) FROM mig_history WHERE direction = 'reset'"
        ),
        ["0"]
    );
}
