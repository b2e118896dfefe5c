//! SQLite objects compared by what they mean, through the binary: SQLite's standard table
//! rebuild in a downgrade (create `t_new`, copy, drop, rename, re-create the index and
//! the view and trigger on it), spelled differently from the original (`(id, nid)`
//! against `(id ASC, nid ASC)`, `ON DELETE cascade` against `ON UPDATE NO ACTION ON
//! DELETE CASCADE`, quoting, `DEFAULT ('x')`, a table-level primary key, `NOT NULL` on
//! the rowid alias) finds nothing;
//! the same rebuild changing a column type is found.

use std::path::PathBuf;

use crate::support::Mig;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sqlite_rebuild")
}

#[test]
fn a_rebuild_of_the_same_table_finds_nothing() {
    let run = Mig::new(fixture()).args(["roundtrip"]).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("roundtrip ok: 0 findings; revisions: 2 ok, 0 residue"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rebuild_that_changes_a_column_type_is_found() {
    let run = Mig::new(fixture())
        .args(["-n", "changed", "--format", "json", "roundtrip"])
        .run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let found: Vec<String> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .flat_map(|c| {
            c["findings"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |f| {
                    format!(
                        "{} {}: {} {} {} {}",
                        c["revision"], c["check"], f["problem"], f["kind"], f["id"], f["fields"]
                    )
                })
        })
        .collect();
    insta::assert_snapshot!(found.join("\n"), @r#"
    "002_rebuild" "downgrade": "changed" "column" "t.name" [{"after":"text","before":"varchar(20)","field":"type"}]
    "002_rebuild" "downgrade": "changed" "column" "v.name" [{"after":"text","before":"varchar(20)","field":"type"}]
    "002_rebuild" "upgrade_again": "changed" "column" "t.name" [{"after":"text","before":"varchar(20)","field":"type"}]
    "002_rebuild" "upgrade_again": "changed" "column" "v.name" [{"after":"text","before":"varchar(20)","field":"type"}]
    "#);
}
