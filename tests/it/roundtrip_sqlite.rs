//! SQLite projects through the binary (a temp file, no server): the clean project
//! passes; the leaky one is caught at every kind SQLite can express (table, column,
//! index, trigger, view), each finding naming its revision. And `mig snapshot`/`mig diff`
//! on SQLite files.

use crate::roundtrip_support::{fixtures, names};
use crate::support::Mig;

#[test]
fn a_clean_sqlite_project_passes() {
    let run = Mig::new(fixtures().join("sqlite"))
        .args(["-n", "clean", "roundtrip"])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("mig roundtrip (steps) on a temporary SQLite file"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("roundtrip ok: 0 findings; revisions: 6 ok"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_kind_sqlite_expresses_is_caught() {
    let dir = fixtures().join("sqlite");
    let run = Mig::new(&dir).args(["roundtrip"]).run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let listing = std::fs::read_to_string(dir.join("cases.txt")).unwrap();
    let mut kinds = Vec::new();
    for line in listing.lines() {
        let (revision, finding) = line.split_once('\t').unwrap();
        assert!(
            names(&run.stdout, revision, finding),
            "no line names `{revision}` and `{finding}`:\n{}",
            run.stdout
        );
        kinds.push(finding.split_whitespace().nth(1).unwrap().to_string());
    }
    assert_eq!(kinds, ["table", "column", "index", "trigger", "view"]);
}

#[test]
fn the_json_report_carries_each_finding_with_its_revision() {
    let run = Mig::new(fixtures().join("sqlite"))
        .args(["--format", "json", "roundtrip"])
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["status"], "residue");
    assert_eq!(report["dialect"], "sqlite");
    let residue: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "residue")
        .map(|c| {
            let f = &c["findings"][0];
            format!(
                "{} {} {} {} {}",
                c["revision"], c["check"], f["problem"], f["kind"], f["id"]
            )
        })
        .collect();
    insta::assert_snapshot!(residue.join("\n"), @r#"
    "0002_table" "downgrade" "extra" "table" "audit_detail"
    "0003_column" "downgrade" "extra" "column" "accounts.nickname"
    "0004_index" "downgrade" "extra" "index" "ix_accounts_email"
    "0005_trigger" "downgrade" "extra" "trigger" "trg_accounts_log"
    "0006_view" "downgrade" "extra" "view" "account_emails"
    "#);
}

#[test]
fn snapshot_and_diff_of_sqlite_files() {
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str, sql: &str| {
        let path = dir.path().join(name);
        let url = format!("sqlite:///{}", path.display());
        crate::support::block_on(async {
            let mut conn = mig::db::connect_sqlite(
                &mig::db::SqliteLocation::File(path.clone()),
                std::time::Duration::from_secs(5),
            )
            .await
            .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        });
        url
    };
    let a = make(
        "a.db",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);",
    );
    let b = make(
        "b.db",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX ix_t_name ON t (name);",
    );
    let mig = Mig::new(dir.path());
    let snap = mig.with(["--url", &a, "snapshot"]).run();
    assert_eq!(snap.code, 0, "{}", snap.stderr);
    assert!(
        snap.stdout.starts_with("{\n  \"dialect\": \"sqlite\""),
        "{}",
        snap.stdout
    );
    let run = mig.with(["diff", &a, &b]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout, @"extra index ix_t_name");
}
