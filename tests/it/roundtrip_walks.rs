//! How the verifier walks a history, through the library on scratch databases:
//! irreversible revisions, branches and merges, ranges, full mode, column order.

use mig::roundtrip::{CheckKind, Mode, Options, Status};

use crate::roundtrip_support::{fixtures, outline, project, verify, write_project};

#[tokio::test]
async fn irreversible_revisions_are_skipped_and_later_ones_still_verified() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            ("r1", "", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("r2", "", "CREATE TABLE b (id int);", " irreversible"),
            (
                "r3",
                "",
                "CREATE TABLE c (id int);\nCREATE INDEX ix_c ON c (id);",
                "\nDROP INDEX ix_c;",
            ),
        ],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let shown = outline(&report)
        .join("\n")
        .replace(dir.path().to_str().unwrap(), "[DIR]");
    insta::assert_snapshot!(shown, @r#"
    r1 upgrade ok
    r1 downgrade ok
    r1 upgrade again ok
    r2 upgrade ok
    r2 downgrade skipped
      reason: `r2` is marked irreversible: its downgrade cannot run
    r2 upgrade again skipped
      reason: not downgraded
    r3 upgrade ok
    r3 downgrade residue
      extra table public.c
    r3 upgrade again failed
      reason: revision `r3` failed at `[DIR]/versions/r3.sql` line 7, column 1: relation "c" already exists (SQLSTATE 42P07)
    - downgrade to start skipped
      reason: not reached: `r3` upgrade again failed
    - upgrade to end skipped
      reason: not reached: `r3` upgrade again failed
    "#);
    // The first problem is residue: exit 1 even though the second upgrade then failed.
    assert_eq!(report.exit_code(), 1);
    let _ = dir;
}

#[tokio::test]
async fn the_whole_range_stops_at_an_irreversible_revision() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            ("r1", "", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("r2", "", "CREATE TABLE b (id int);", " irreversible"),
            ("r3", "", "CREATE TABLE c (id int);", "\nDROP TABLE c;"),
        ],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let range: Vec<String> = outline(&report)
        .into_iter()
        .skip_while(|l| !l.starts_with("- "))
        .collect();
    insta::assert_snapshot!(range.join("\n"), @r"
    - downgrade to start ok
      note: stopped at `r2`, which is marked irreversible
    - upgrade to end ok
    ");
    assert_eq!(report.exit_code(), 0);
}

#[tokio::test]
async fn column_order_is_a_finding_only_when_asked_for() {
    let ini = fixtures().join("column_readded/alembic.ini");
    let project = project(&ini, "clean");
    let quiet = verify(&project, &Options::default()).await;
    assert_eq!(quiet.status, Status::Ok, "{:#?}", outline(&quiet));
    let strict = verify(
        &project,
        &Options {
            column_order: true,
            ..Options::default()
        },
    )
    .await;
    let downgrade = strict
        .checks
        .iter()
        .find(|c| {
            c.revision.as_deref() == Some("0002_column_readded") && c.check == CheckKind::Downgrade
        })
        .unwrap();
    let text: String = downgrade.findings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(text, @r"
    changed column public.accounts.code
      position: 3 -> 4 (column order)
    changed column public.accounts.status
      position: 4 -> 3 (column order)
    ");
    assert_eq!(strict.exit_code(), 1);
}

#[tokio::test]
async fn ranges_limit_what_is_verified() {
    let ini = fixtures().join("table/alembic.ini");
    let project = project(&ini, "alembic");
    let from = verify(
        &project,
        &Options {
            from: Some("0001_base".into()),
            ..Options::default()
        },
    )
    .await;
    let revisions: Vec<_> = from.revisions.iter().map(|r| r.revision.as_str()).collect();
    assert_eq!(revisions, ["0002_table"]);
    assert_eq!(from.exit_code(), 1);
    let to = verify(
        &project,
        &Options {
            to: Some("0001_base".into()),
            ..Options::default()
        },
    )
    .await;
    let revisions: Vec<_> = to.revisions.iter().map(|r| r.revision.as_str()).collect();
    assert_eq!(revisions, ["0001_base"]);
    assert_eq!(to.exit_code(), 0);
}

#[tokio::test]
async fn full_mode_checks_the_last_revision() {
    let ini = fixtures().join("index/alembic.ini");
    let opts = Options {
        mode: Mode::Full,
        ..Options::default()
    };
    let leaky = verify(&project(&ini, "alembic"), &opts).await;
    insta::assert_snapshot!(outline(&leaky).join("\n"), @r"
    0002_index upgrade ok
    0002_index downgrade residue
      extra index public.ix_accounts_status
    0002_index upgrade again ok
    ");
    assert_eq!(leaky.exit_code(), 1);
    let clean = verify(&project(&ini, "clean"), &opts).await;
    assert_eq!(clean.exit_code(), 0, "{:#?}", outline(&clean));
}

#[tokio::test]
async fn branches_and_merges_are_undone_one_revision_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            ("a", "-- Revises:", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("b1", "-- Revises: a", "CREATE TABLE b1 (id int);", "\nDROP TABLE b1;"),
            ("c1", "-- Revises: a", "CREATE TABLE c1 (id int);", "\nDROP TABLE c1;"),
            (
                "m",
                "-- Revises: b1, c1",
                "CREATE INDEX IF NOT EXISTS ix_b1 ON b1 (id);\nCREATE INDEX IF NOT EXISTS ix_c1 ON c1 (id);",
                "\nDROP INDEX ix_b1;",
            ),
            ("x", "-- Revises:", "CREATE TABLE x (id int);", "\nDROP TABLE x;"),
        ],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let lines = outline(&report);
    // Every revision went down alone and came back; only the merge leaks.
    for id in ["a", "b1", "c1", "x"] {
        assert!(lines.contains(&format!("{id} downgrade ok")), "{lines:#?}");
        assert!(
            lines.contains(&format!("{id} upgrade again ok")),
            "{lines:#?}"
        );
    }
    let at = lines
        .iter()
        .position(|l| l == "m downgrade residue")
        .expect("m leaks");
    assert_eq!(lines[at + 1], "  extra index public.ix_c1", "{lines:#?}");
    // Dropping `c1` at the end takes the leaked index with it.
    assert!(
        lines.contains(&"- downgrade to start ok".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"- upgrade to end ok".to_string()),
        "{lines:#?}"
    );
    assert_eq!(report.exit_code(), 1);
}

#[tokio::test]
async fn full_mode_on_a_single_revision_goes_down_to_base() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[(
            "only",
            "",
            "CREATE TABLE t (id int);\nCREATE TABLE u (id int);",
            "\nDROP TABLE t;",
        )],
    );
    let opts = Options {
        mode: Mode::Full,
        ..Options::default()
    };
    let report = verify(&project(&ini, "alembic"), &opts).await;
    let shown = outline(&report)
        .join("\n")
        .replace(dir.path().to_str().unwrap(), "[DIR]");
    insta::assert_snapshot!(shown, @r#"
    only upgrade ok
    only downgrade residue
      extra table public.u
    only upgrade again failed
      reason: revision `only` failed at `[DIR]/versions/only.sql` line 8, column 1: relation "u" already exists (SQLSTATE 42P07)
    "#);
}

#[tokio::test]
async fn a_revision_that_fails_to_apply_stops_the_run_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            ("r1", "", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("r2", "", "CREATE TABLE a (id int);", "\nDROP TABLE a;"),
            ("r3", "", "CREATE TABLE c (id int);", "\nDROP TABLE c;"),
        ],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let shown = outline(&report)
        .join("\n")
        .replace(dir.path().to_str().unwrap(), "[DIR]");
    insta::assert_snapshot!(shown, @r#"
    r1 upgrade ok
    r1 downgrade ok
    r1 upgrade again ok
    r2 upgrade failed
      reason: revision `r2` failed at `[DIR]/versions/r2.sql` line 7, column 1: relation "a" already exists (SQLSTATE 42P07)
    r3 upgrade skipped
      reason: not reached: `r2` failed
    - downgrade to start skipped
      reason: not reached: `r2` upgrade failed
    - upgrade to end skipped
      reason: not reached: `r2` upgrade failed
    "#);
    assert_eq!((report.status, report.exit_code()), (Status::Failed, 3));
}
