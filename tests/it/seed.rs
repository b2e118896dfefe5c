//! `mig seed` through the binary: the demo project's seeds on PostgreSQL (required vs
//! optional, `Requires`, `--list`, `--sync`, `--dry-run`, JSON), failures that name the
//! file and line and keep earlier seeds, and refused seed files.

use crate::seed_support::{demo, upgraded_and_seeded};
use crate::support::project::{project_with_seeds, revision};
use crate::support::{pg_db, pg_exec, pg_query, Mig};

const COUNT_OUTBOX: &str = "SELECT count(*)::text FROM zero_admin.event_outbox";
const COUNT_INBOX: &str = "SELECT count(*)::text FROM zero_admin.inbox_items";

fn seed_rows(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT name || ' ' || kind || ' ' || rows_affected FROM zero_admin.mig_seed ORDER BY name",
    )
}

fn seed_history(url: &str) -> Vec<String> {
    pg_query(
        url,
        "SELECT success::text || ' ' || coalesce(reason, '') FROM zero_admin.mig_history \
         WHERE direction = 'seed' ORDER BY started_at",
    )
}

#[test]
fn demo_seeds_required_then_all_then_nothing() {
    let db = pg_db("seed_demo");
    let url = db.url().to_string();
    let proj = demo();
    let dir = proj.path();

    // Before the schema exists both seeds are blocked by their `Requires:`.
    let mig = Mig::new(dir).url(&url);
    let list = mig.with(["seed", "--list"]).ok();
    assert!(
        list.contains("system_events  required  blocked: needs revision 251018_schema_v1_inbox"),
        "{list}"
    );
    let err = mig.with(["seed"]).run().code(3).stderr;
    assert!(
        err.contains("seed `system_events` (")
            && err.contains("requires revision `251018_schema_v1_inbox`, which is not applied"),
        "{err}"
    );

    mig.with(["upgrade", "head"]).ok();
    let out = mig.with(["seed"]).ok();
    assert!(out.contains("Seeded `system_events` (required, "), "{out}");
    assert!(out.contains("): 3 rows in "), "{out}");
    assert!(
        !out.contains("sample_inbox"),
        "optional seeds need --all: {out}"
    );
    assert_eq!(pg_query(&url, COUNT_OUTBOX), ["3"]);
    assert_eq!(pg_query(&url, COUNT_INBOX), ["0"]);

    let list = mig.with(["seed", "--list"]).ok();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["order", "seed", "kind", "state"]
    );
    assert!(
        lines[1].contains("1  system_events  required  applied 20"),
        "{list}"
    );
    assert!(
        lines[2].contains("2  sample_inbox   optional  pending ("),
        "{list}"
    );

    let out = mig.with(["seed", "--all"]).ok();
    assert!(out.contains("Seeded `sample_inbox` (optional, "), "{out}");
    assert!(out.contains("): 3 rows in "), "{out}");
    assert!(
        !out.contains("system_events"),
        "applied seeds do not run again: {out}"
    );
    assert_eq!(pg_query(&url, COUNT_INBOX), ["2"]);

    let out = mig.with(["seed", "--all"]).ok();
    assert_eq!(out, "No seeds to run: every selected seed is applied.\n");
    assert_eq!(
        seed_rows(&url),
        ["sample_inbox optional 3", "system_events required 3"]
    );
    assert_eq!(
        seed_history(&url),
        [
            "true seeded: system_events (3 rows)",
            "true seeded: sample_inbox (3 rows)"
        ]
    );
}

#[test]
fn sync_reruns_only_changed_seeds_and_names_rerun_applied_ones() {
    let db = pg_db("seed_sync");
    let url = db.url().to_string();
    let proj = demo();
    let dir = proj.path();
    upgraded_and_seeded(dir, &url);
    let mig = Mig::new(dir).url(&url);
    let before = pg_query(
        &url,
        "SELECT name || ' ' || applied_at::text FROM zero_admin.mig_seed ORDER BY name",
    );

    let path = dir.join("seeds/001_system_events.sql");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING;",
        "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING;\n\nUPDATE zero_admin.event_outbox SET retry_count = 0 WHERE tenant_id = '00000000-0000-0000-0000-000000000000';",
    );
    std::fs::write(&path, text).unwrap();

    let list = mig.with(["seed", "--list"]).ok();
    assert!(
        list.contains("system_events  required  changed (applied 20"),
        "{list}"
    );
    assert!(
        list.contains("sample_inbox   optional  applied 20"),
        "{list}"
    );
    // Without --sync a changed seed is not run again.
    assert_eq!(
        mig.with(["seed", "--all"]).ok(),
        "No seeds to run: every selected seed is applied.\n"
    );
    let out = mig.with(["seed", "--all", "--sync"]).ok();
    assert!(out.contains("Seeded `system_events` (required, "), "{out}");
    assert!(
        out.contains(", again): 3 rows in "),
        "ON CONFLICT inserts 0, the UPDATE touches 3: {out}"
    );
    assert!(!out.contains("sample_inbox"), "{out}");
    assert_eq!(pg_query(&url, COUNT_OUTBOX), ["3"]);
    let after = pg_query(
        &url,
        "SELECT name || ' ' || applied_at::text FROM zero_admin.mig_seed ORDER BY name",
    );
    assert_eq!(after[0], before[0], "sample_inbox untouched");
    assert_ne!(after[1], before[1], "system_events recorded again");
    assert!(mig
        .with(["seed", "--list"])
        .ok()
        .contains("system_events  required  applied 20"));

    // A named seed runs even when applied and unchanged.
    let out = mig.with(["seed", "sample_inbox"]).ok();
    assert!(
        out.contains("Seeded `sample_inbox` (optional, ") && out.contains(", again): 0 rows"),
        "{out}"
    );
    let err = mig.with(["seed", "nope"]).run().code(2).stderr;
    assert!(
        err.contains("no seed is named `nope` (seeds: system_events, sample_inbox)"),
        "{err}"
    );
}

#[test]
fn dry_run_counts_rows_per_statement_and_changes_nothing() {
    let db = pg_db("seed_dry");
    let url = db.url().to_string();
    let proj = demo();
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    let history_before = pg_query(&url, "SELECT count(*)::text FROM zero_admin.mig_history");

    let out = mig.with(["seed", "--all", "--dry-run"]).ok();
    assert!(
        out.contains("Would seed `system_events` (required, "),
        "{out}"
    );
    assert!(out.contains("  line 8: INSERT 3 rows\n"), "{out}");
    assert!(
        out.contains("Would seed `sample_inbox` (optional, "),
        "{out}"
    );
    assert!(
        out.contains("  line 8: INSERT 2 rows\n  line 14: INSERT 1 rows\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Dry run: 2 seeds ran in a transaction that was rolled back; nothing was changed."
        ),
        "{out}"
    );

    assert_eq!(pg_query(&url, COUNT_OUTBOX), ["0"]);
    assert_eq!(pg_query(&url, COUNT_INBOX), ["0"]);
    assert_eq!(
        pg_query(
            &url,
            "SELECT (to_regclass('zero_admin.mig_seed') IS NULL)::text"
        ),
        ["true"],
        "a dry run creates no mig_seed table"
    );
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM zero_admin.mig_history"),
        history_before,
        "a dry run writes no history row"
    );

    // The counts are what a real run then changes.
    let json = mig.with(["--format", "json", "seed", "--all"]).ok();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["dry_run"], false);
    assert_eq!(report["seeds"][0]["name"], "system_events");
    assert_eq!(report["seeds"][0]["statements"][0]["rows"], 3);
    assert_eq!(report["seeds"][1]["statements"][1]["line"], 14);
    assert_eq!(pg_query(&url, COUNT_OUTBOX), ["3"]);
    assert_eq!(
        pg_query(&url, "SELECT count(*)::text FROM zero_admin.parsed_items"),
        ["1"]
    );
}

fn table_revision() -> String {
    revision(
        "r1",
        "",
        "CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);",
        "DROP TABLE items;",
    )
}

#[test]
fn a_failing_seed_is_named_rolled_back_and_earlier_seeds_stay() {
    let db = pg_db("seed_fail");
    let url = db.url().to_string();
    let proj = project_with_seeds(&[("r1.sql", &table_revision())], &[
            ("a.sql", "-- Seed: a\n\nINSERT INTO items VALUES (1, 'one');\n"),
            (
                "b.sql",
                "-- second\n-- Seed: b\n-- After: a\n\nINSERT INTO items VALUES (2, 'two');\n\nINSERT INTO items VALUES (3, NULL);\n",
            ),
            ("c.sql", "-- Seed: c\n-- After: b\nINSERT INTO items VALUES (4, 'four');\n"),
        ]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    let err = mig.with(["seed"]).run().code(3).stderr;
    let b = dir.join("seeds/b.sql");
    assert!(
        err.contains(&format!(
            "seed `b` failed at {}:7 (statement 2 of 2: `INSERT INTO items VALUES (3, NULL)`): null value in column \"name\"",
            b.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("its transaction was rolled back: nothing of `b` is applied; applied and recorded before it: `a`"),
        "{err}"
    );
    assert_eq!(
        pg_query(&url, "SELECT id::text FROM items ORDER BY id"),
        ["1"]
    );
    assert_eq!(pg_query(&url, "SELECT name FROM mig_seed"), ["a"]);
    assert_eq!(
        pg_query(
            &url,
            "SELECT success::text || ' ' || reason FROM mig_history WHERE direction = 'seed'"
        ),
        ["false seeded: a (1 rows); failed: b (rolled back)"]
    );
    // Fixed, the next run picks up where it stopped.
    std::fs::write(
        &b,
        "-- Seed: b\n-- After: a\nINSERT INTO items VALUES (2, 'two');\n",
    )
    .unwrap();
    let out = mig.with(["seed"]).ok();
    assert!(
        out.contains("Seeded `b`") && out.contains("Seeded `c`") && !out.contains("Seeded `a`"),
        "{out}"
    );
    assert_eq!(
        pg_query(&url, "SELECT id::text FROM items ORDER BY id"),
        ["1", "2", "4"]
    );
}

#[test]
fn transaction_none_seed_failure_says_what_stays() {
    let db = pg_db("seed_notx");
    let url = db.url().to_string();
    let proj = project_with_seeds(&[("r1.sql", &table_revision())], &[(
            "a.sql",
            "-- Seed: a\n-- Transaction: none\nINSERT INTO items VALUES (1, 'one');\nINSERT INTO items VALUES (1, 'again');\n",
        )]);
    let dir = proj.path();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    let err = mig.with(["seed"]).run().code(3).stderr;
    assert!(
        err.contains(
            ":4 (statement 2 of 2: `INSERT INTO items VALUES (1, 'again')`): duplicate key"
        ),
        "{err}"
    );
    assert!(
        err.contains("`Transaction: none`: statements 1..1 of `a` ran outside a transaction and stay applied; `a` is not recorded as applied"),
        "{err}"
    );
    assert_eq!(pg_query(&url, "SELECT id::text FROM items"), ["1"]);
    assert_eq!(pg_query(&url, "SELECT count(*)::text FROM mig_seed"), ["0"]);
}

#[test]
fn bad_seed_files_are_refused_naming_the_files() {
    let db = pg_db("seed_refused");
    let url = db.url().to_string();
    let rev = table_revision();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("a.sql", "-- Seed: a\n-- After: b\nSELECT 1;\n"), ("b.sql", "-- Seed: b\n-- After: a\nSELECT 1;\n")],
            "seeds run after each other in a cycle: `a` (SEEDS/a.sql) -> `b` (SEEDS/b.sql) -> `a` (SEEDS/a.sql)",
        ),
        (
            &[("a.sql", "-- Seed: a\n-- After: ghost\nSELECT 1;\n")],
            "SEEDS/a.sql:2: seed `a` runs after `ghost`, which no seed file names (seeds: a)",
        ),
        (
            &[("a.sql", "-- Seed: a\n-- Requires: r9\nSELECT 1;\n")],
            "SEEDS/a.sql:2: `Requires: r9` names no revision of this project",
        ),
        (
            &[("a.sql", "-- Seed: a\n-- Kind: mock\nSELECT 1;\n")],
            "SEEDS/a.sql:2: `Kind: mock` is not a seed kind; expected `required` or `optional`",
        ),
        (
            &[("a.sql", "-- Seed: a\nSELECT 1;\n"), ("b.sql", "-- Seed: a\nSELECT 2;\n")],
            "seed `a` is named by two files: SEEDS/a.sql and SEEDS/b.sql",
        ),
    ];
    for (seeds, expected) in cases {
        let proj = project_with_seeds(&[("r1.sql", &rev)], seeds);
        let dir = proj.path();
        let seeds_dir = dir.join("seeds").display().to_string();
        for args in [
            &["--url", &url, "seed"][..],
            &["--url", &url, "seed", "--list"],
        ] {
            let err = Mig::new(dir).args(args).run().code(2).stderr;
            assert_eq!(
                err.trim_end().replace(&seeds_dir, "SEEDS"),
                format!("FAILED: {expected}")
            );
        }
    }
    // Nothing ran: not even the bookkeeping tables exist.
    assert_eq!(
        pg_query(&url, "SELECT (to_regclass('mig_seed') IS NULL)::text"),
        ["true"]
    );
}

#[test]
fn seed_locations_is_read_from_the_mig_section() {
    let db = pg_db("seed_locations");
    let url = db.url().to_string();
    let proj = project_with_seeds(&[("r1.sql", &table_revision())], &[]);
    let dir = proj.path();
    std::fs::create_dir(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("data/x.sql"),
        "-- Seed: x\nINSERT INTO items VALUES (7, 'seven');\n",
    )
    .unwrap();
    let ini = std::fs::read_to_string(dir.join("alembic.ini")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        format!("{ini}\n[mig]\nseed_locations = %(here)s/data\n"),
    )
    .unwrap();
    let mig = Mig::new(dir).url(&url);
    mig.with(["upgrade", "head"]).ok();
    assert!(mig.with(["seed"]).ok().contains("Seeded `x`"));
    assert_eq!(pg_query(&url, "SELECT name FROM items"), ["seven"]);
    pg_exec(&url, "DELETE FROM items");
}
