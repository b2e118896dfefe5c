//! The verifier through the library (`mig::roundtrip::run`) on scratch databases of the
//! shared test server: declared keeps, naming conventions, working in place, and the
//! usage errors.

use mig::roundtrip::{CheckKind, Options, Problem, Status};

use crate::roundtrip_support::{fixtures, outline, project, verify, write_project};
use crate::support;
use crate::support::{repo, Mig};

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

/// The verifier keeps one session for its moves and snapshots; what a revision leaves on
/// the session (a temporary table, a prepared statement, a session `SET`) must not reach
/// the next move, as if each move had connected on its own. Without the reset between
/// moves, `r1`'s downgrade fails (its temporary table or prepared statement already
/// exists) and `r2`'s downgrade drops `other.t` instead of `public.t` (its `search_path`
/// leaked from the upgrade).
#[tokio::test]
async fn what_a_revision_leaves_on_the_session_does_not_reach_the_next_move() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[
            (
                "r1",
                "",
                "CREATE SCHEMA other;\nCREATE TABLE other.t (id int);\n\
                 CREATE TEMP TABLE work (id int);\nPREPARE leftover AS SELECT 1;",
                "\nCREATE TEMP TABLE work (id int);\nPREPARE leftover AS SELECT 1;\n\
                 DROP SCHEMA other CASCADE;",
            ),
            (
                "r2",
                "",
                "CREATE TABLE public.t (id int);\nSET search_path TO other, public;",
                "\nDROP TABLE t;",
            ),
        ],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    assert_eq!(report.status, Status::Ok, "{:#?}", outline(&report));
    assert_eq!(report.exit_code(), 0);
}

/// A new session starts from the database's defaults (`ALTER DATABASE ... SET`), which a
/// kept session does not see change. A downgrade that leaves `quote_all_identifiers` on
/// changes how a new session reads the catalog (every name quoted): the verifier reports
/// it, as it did when every move and snapshot connected on its own.
#[tokio::test]
async fn a_database_default_a_downgrade_leaves_on_is_seen_as_a_new_session_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(
        dir.path(),
        "",
        &[(
            "r1",
            "",
            "CREATE TABLE t (id int);\n\
             DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET quote_all_identifiers = on', \
             current_database()); END $$;",
            "\nDROP TABLE t;",
        )],
    );
    let report = verify(&project(&ini, "alembic"), &Options::default()).await;
    let downgrade = report
        .checks
        .iter()
        .find(|c| c.revision.as_deref() == Some("r1") && c.check == CheckKind::Downgrade)
        .expect("r1's downgrade check");
    let headlines: Vec<String> = downgrade.findings.iter().map(|f| f.headline()).collect();
    assert!(
        headlines.iter().any(|h| h.contains("\"public\"")),
        "{:#?}",
        outline(&report)
    );
}

#[test]
fn usage_errors_exit_2_before_anything_runs() {
    let server = support::server_url();
    let ini = fixtures().join("table/alembic.ini");
    let ini = ini.to_str().unwrap();
    let mig = Mig::new(repo());
    let run = mig
        .with(["-c", ini, "--url", &server, "roundtrip", "--in-place"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim(), @"FAILED: `--in-place` runs upgrades and downgrades on the configured database itself; add `--yes` to confirm");
    let run = mig
        .with([
            "-c",
            ini,
            "roundtrip",
            "--mode",
            "full",
            "--from",
            "0001_base",
        ])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.trim(), @"FAILED: `--from` applies to `--mode steps`; `--mode full` checks the last revision of `--to`");
    let run = mig
        .with([
            "-c",
            ini,
            "--url",
            &server,
            "roundtrip",
            "--scratch",
            "--to",
            "nope",
        ])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("FAILED: "), "{}", run.stderr);
    // Scratch needs a URL: `%(DATABASE_URL)s` does not resolve without the variable.
    let dir = tempfile::tempdir().unwrap();
    let ini = write_project(dir.path(), "", &[("r1", "", "SELECT 1;", "\nSELECT 1;")]);
    let text = std::fs::read_to_string(&ini)
        .unwrap()
        .replace("[mig]", "sqlalchemy.url = %(DATABASE_URL)s\n\n[mig]");
    std::fs::write(&ini, text).unwrap();
    let run = Mig::new(dir.path()).args(["roundtrip", "--scratch"]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
    // The same project on a private server needs no URL at all.
    let run = Mig::new(dir.path()).args(["roundtrip"]).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn in_place_with_yes_runs_on_the_given_database_and_leaves_it_at_the_end() {
    let db = support::pg_db("rt_in_place");
    let ini = fixtures().join("table/alembic.ini");
    let run = Mig::new(repo())
        .args([
            "-c",
            ini.to_str().unwrap(),
            "-n",
            "clean",
            "--url",
            db.url(),
            "roundtrip",
            "--in-place",
            "--yes",
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("on the configured database `postgresql://"),
        "{}",
        run.stdout
    );
    let version = support::block_on(async {
        let mut conn = crate::support::connect_pg(db.url()).await.unwrap();
        sqlx::query_scalar::<_, String>("SELECT version_num FROM alembic_version")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert_eq!(version, "0002_table");
}
