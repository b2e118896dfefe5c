//! `mig seed` on real SQLite files: order, a failing seed rolled back, dry run.

use crate::seed_support::{lite_strings, sqlite_url};
use crate::support::project::{project_with_seeds, revision};
use crate::support::Mig;

#[test]
fn sqlite_seeds_run_in_order_and_roll_back_a_failure() {
    let rev = revision(
        "r1",
        "",
        "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);",
        "DROP TABLE items;",
    );
    let proj = project_with_seeds(&[("r1.sql", &rev)], &[
            ("1_late.sql", "-- Seed: late\n-- After: early\nINSERT INTO items (name) VALUES ('late');\n"),
            ("2_early.sql", "-- Seed: early\nINSERT INTO items (name) VALUES ('early');\nINSERT INTO items (name) VALUES ('early2');\n"),
            ("3_demo.sql", "-- Seed: demo\n-- Kind: optional\nINSERT INTO items (name) VALUES ('demo');\nINSERT INTO items (name) VALUES (NULL);\n"),
        ]);
    let dir = proj.path();
    let db = dir.join("app.db");
    let url = sqlite_url(&db);
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();

    let out = mig.with(["seed", "--dry-run"]).ok();
    assert!(
        out.contains("Would seed `early`")
            && out.contains("  line 2: INSERT 1 rows\n  line 3: INSERT 1 rows\n"),
        "{out}"
    );
    assert_eq!(
        lite_strings(&db, "SELECT CAST(count(*) AS TEXT) FROM items"),
        ["0"]
    );

    let out = mig.with(["seed"]).ok();
    let early = out.find("Seeded `early`").expect("early ran");
    let late = out.find("Seeded `late`").expect("late ran");
    assert!(early < late, "{out}");
    assert_eq!(
        lite_strings(&db, "SELECT name FROM items ORDER BY id"),
        ["early", "early2", "late"]
    );

    let err = mig.with(["seed", "--all"]).run().code(3).stderr;
    assert!(err.contains("3_demo.sql:4 (statement 2 of 2: `INSERT INTO items (name) VALUES (NULL)`): NOT NULL constraint failed"), "{err}");
    assert!(
        err.contains("its transaction was rolled back: nothing of `demo` is applied"),
        "{err}"
    );
    assert_eq!(
        lite_strings(&db, "SELECT name FROM items ORDER BY id"),
        ["early", "early2", "late"]
    );
    assert_eq!(
        lite_strings(&db, "SELECT name FROM mig_seed ORDER BY name"),
        ["early", "late"]
    );
    assert_eq!(
        lite_strings(&db, "SELECT direction || ' ' || success FROM mig_history WHERE direction = 'seed' ORDER BY started_at"),
        ["seed 1", "seed 0"]
    );
    let list = mig.with(["seed", "--list"]).ok();
    assert!(list.contains("3  demo   optional  pending"), "{list}");
}
