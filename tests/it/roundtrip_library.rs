//! The verifier through the library (`mig::roundtrip::run`) on scratch databases of the
//! shared test server: declared keeps, irreversible revisions, column order, ranges,
//! full mode, naming conventions, and the usage errors.

use std::collections::BTreeMap;
use std::path::Path;

use mig::commands::Project;
use mig::config::LoadOptions;
use mig::roundtrip::{self, CheckKind, Mode, Options, Place, Problem, Report, Status};

use crate::roundtrip_support::{fixtures, mig, repo};
use crate::support;

/// Loads the project of `ini` (section `section`) pointed at the test server.
fn project(ini: &Path, section: &str) -> Project {
    let mut opts = LoadOptions::new(ini.parent().unwrap(), BTreeMap::new());
    opts.config = Some(ini.to_path_buf());
    opts.section = Some(section.to_string());
    opts.url = Some(support::server_url());
    Project::load(&opts).unwrap_or_else(|e| panic!("{}: {e}", ini.display()))
}

async fn verify(project: &Project, opts: &Options) -> Report {
    roundtrip::run(
        &project.config,
        &project.map,
        Place::Scratch,
        opts,
        std::future::pending(),
    )
    .await
    .unwrap_or_else(|e| panic!("roundtrip: {e}"))
}

/// `(revision or "-", check, status)` per check, and each finding's headline.
fn outline(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for check in &report.checks {
        lines.push(format!(
            "{} {} {}",
            check.revision.as_deref().unwrap_or("-"),
            check.check,
            check.status
        ));
        for finding in &check.findings {
            lines.push(format!("  {}", finding.headline()));
        }
        if let Some(reason) = &check.reason {
            lines.push(format!(
                "  reason: {}",
                reason.lines().next().unwrap_or_default()
            ));
        }
        if let Some(note) = &check.note {
            lines.push(format!("  note: {note}"));
        }
    }
    lines
}

/// Writes a project: `alembic.ini` (with `extra` in `[mig]`) and the revision files.
fn write_project(
    dir: &Path,
    extra: &str,
    revisions: &[(&str, &str, &str, &str)],
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\n\
             [mig]\ndialect = postgresql\n{extra}\n"
        ),
    )
    .unwrap();
    let mut down = "";
    for (id, header, up, downgrade) in revisions {
        let text = format!(
            "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {down}\n{header}\n\
             -- migrate:upgrade\n{up}\n\n-- migrate:downgrade{downgrade}\n"
        );
        std::fs::write(dir.join("versions").join(format!("{id}.sql")), text).unwrap();
        down = id;
    }
    dir.join("alembic.ini")
}

#[tokio::test]
async fn a_declared_keep_is_accepted_and_a_keep_not_left_is_reported() {
    let ini = fixtures().join("extension/alembic.ini");
    let kept = verify(&project(&ini, "kept"), &Options::default()).await;
    assert_eq!(kept.status, Status::Ok, "{:#?}", outline(&kept));
    assert_eq!(kept.exit_code(), 0);

    let over = verify(&project(&ini, "overdeclared"), &Options::default()).await;
    let findings: Vec<_> = over.checks.iter().flat_map(|c| &c.findings).collect();
    assert_eq!(findings.len(), 1, "{:#?}", outline(&over));
    assert_eq!(findings[0].problem, Problem::KeepNotLeft);
    insta::assert_snapshot!(findings[0].headline(), @"declared keep not left behind: extension citext");
    assert_eq!(over.exit_code(), 1);
}

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
async fn naming_conventions_are_checked_at_the_end_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let conventions = "naming_convention.pk = pk_%%(table_name)s\n\
                       naming_convention.ix = ix_%%(table_name)s_%%(column_0_N_name)s";
    let ini = write_project(
        dir.path(),
        conventions,
        &[(
            "r1",
            "",
            "CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a_idx ON t (a);",
            "\nDROP TABLE t;",
        )],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let naming = report
        .checks
        .iter()
        .find(|c| c.check == CheckKind::Naming)
        .expect("a naming check");
    let text: String = naming.findings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(text, @r"
    constraint public.t.t_pkey: `t_pkey`, expected `pk_t` (naming_convention.pk = pk_%(table_name)s)
    index public.t_a_idx: `t_a_idx`, expected `ix_t_a` (naming_convention.ix = ix_%(table_name)s_%(column_0_N_name)s)
    ");
    assert_eq!(report.exit_code(), 1);

    // Without conventions there is no naming check at all.
    let plain = tempfile::tempdir().unwrap();
    let ini = write_project(
        plain.path(),
        "",
        &[(
            "r1",
            "",
            "CREATE TABLE t (id int PRIMARY KEY);",
            "\nDROP TABLE t;",
        )],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    assert!(report.checks.iter().all(|c| c.check != CheckKind::Naming));
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn usage_errors_exit_2_before_anything_runs() {
    let server = support::server_url();
    let ini = fixtures().join("table/alembic.ini");
    let ini = ini.to_str().unwrap();
    let run = mig(
        &repo(),
        &["-c", ini, "--url", &server, "roundtrip", "--in-place"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim(), @"FAILED: `--in-place` runs upgrades and downgrades on the configured database itself; add `--yes` to confirm");
    let run = mig(
        &repo(),
        &[
            "-c",
            ini,
            "roundtrip",
            "--mode",
            "full",
            "--from",
            "0001_base",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim(), @"FAILED: `--from` applies to `--mode steps`; `--mode full` checks the last revision of `--to`");
    let run = mig(
        &repo(),
        &[
            "-c",
            ini,
            "--url",
            &server,
            "roundtrip",
            "--scratch",
            "--to",
            "nope",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("FAILED: "), "{}", run.stderr);
    // Scratch needs a URL; the demo's `%(DATABASE_URL)s` does not resolve here.
    let run = mig(&repo(), &["roundtrip", "--scratch"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn in_place_with_yes_runs_on_the_given_database_and_leaves_it_at_the_end() {
    let db = support::pg_db("rt_in_place");
    let ini = fixtures().join("table/alembic.ini");
    let run = mig(
        &repo(),
        &[
            "-c",
            ini.to_str().unwrap(),
            "-n",
            "clean",
            "--url",
            db.url(),
            "roundtrip",
            "--in-place",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("on the configured database `postgresql://"),
        "{}",
        run.stdout
    );
    let version = support::block_on(async {
        let mut conn = mig::db::connect_postgres(db.url(), None).await.unwrap();
        sqlx::query_scalar::<_, String>("SELECT version_num FROM alembic_version")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert_eq!(version, "0002_table");
}
