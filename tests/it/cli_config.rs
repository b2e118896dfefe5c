//! Reading the configuration and the revision files, through the `mig` binary (issue 9,
//! items 5 and 7): an interpolation bomb fails fast naming its key and line, keys a
//! command does not use are not interpolated, keys only `revision` reads stop only it,
//! and graph and configuration errors name their files and lines.

use crate::cli_fidelity::{ini, rev_file};
use crate::support::Mig;

#[test]
fn an_interpolation_bomb_fails_fast_naming_the_key_and_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    let mut text = String::from("[alembic]\nscript_location = %(x10)s\nx1 = boom\n");
    for level in 2..=10 {
        text.push_str(&format!(
            "x{level} = {}\n",
            format!("%(x{})s", level - 1).repeat(8)
        ));
    }
    std::fs::write(tmp.path().join("alembic.ini"), &text).expect("ini");
    let mig = Mig::new(tmp.path());
    let r = mig.with(["heads"]).run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "FAILED: `alembic.ini` line 2: `script_location` in section `[alembic]` expands to more than"
        ),
        "{}",
        r.stderr
    );
    // The same bomb in a key no command reads is never expanded.
    let unused = text.replace("script_location = %(x10)s", "script_location = %(here)s");
    std::fs::write(tmp.path().join("alembic.ini"), unused).expect("ini");
    let r = mig.with(["heads"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `[mig]` keys only some commands use are interpolated when a command asks for them:
/// a bomb or an unresolvable reference in `runbook_dir` (or a naming convention) does
/// not stop `heads` or `upgrade --sql`, and stops `runbook`, which uses every key, with
/// exit 2 naming the key and its line.
#[test]
fn unused_mig_keys_are_not_interpolated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    rev_file(tmp.path(), "a", "", "");
    let mut bomb = String::from("x1 = boom\n");
    for level in 2..=10 {
        bomb.push_str(&format!(
            "x{level} = {}\n",
            format!("%(x{})s", level - 1).repeat(8)
        ));
    }
    for (value, expected) in [
        (
            "%(x10)s",
            "`alembic.ini` line 7: `runbook_dir` in section `[mig]` expands to more than",
        ),
        (
            "%(nowhere)s",
            "`naming_convention.pk` in section `[mig]` refers to `%(missing_too)s`",
        ),
    ] {
        // The first case has a valid convention, so `runbook` stops at `runbook_dir`.
        let naming = if value == "%(x10)s" {
            "pk_%(table_name)s"
        } else {
            "%(missing_too)s"
        };
        std::fs::write(
            tmp.path().join("alembic.ini"),
            format!(
                "[alembic]\nscript_location = %(here)s\n\n[mig]\ndialect = postgresql\n\
                 naming_convention.pk = {naming}\nrunbook_dir = {value}\n{bomb}"
            ),
        )
        .expect("ini");
        let mig = Mig::new(tmp.path());
        let r = mig.with(["heads"]).run();
        assert_eq!((r.code, r.stdout.trim()), (0, "a (head)"), "{}", r.stderr);
        let r = mig.with(["upgrade", "head", "--sql"]).run();
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("CREATE TABLE t_a"), "{}", r.stdout);

        let r = mig
            .with(["runbook", "--url", "postgresql://u@127.0.0.1:1/db"])
            .run();
        assert_eq!(r.code, 2, "{value}: {}", r.stderr);
        let failed = r
            .stderr
            .lines()
            .find(|l| l.starts_with("FAILED:"))
            .unwrap_or_default();
        assert!(failed.contains(expected), "{value}: {}", r.stderr);
    }
}

#[test]
fn graph_and_config_errors_name_their_files() {
    let cycle = tempfile::tempdir().expect("tempdir");
    ini(cycle.path(), "dialect = postgresql");
    rev_file(cycle.path(), "a", "b", "");
    rev_file(cycle.path(), "b", "a", "");
    let r = Mig::new(cycle.path()).args(["heads"]).run().redacted();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        "FAILED: Cycle is detected in revisions (a, b) (in `[DIR]/versions/a.sql:4`, `[DIR]/versions/b.sql:4`)"
    );

    let labels = tempfile::tempdir().expect("tempdir");
    ini(labels.path(), "dialect = postgresql");
    rev_file(labels.path(), "a", "", "x");
    rev_file(labels.path(), "b", "a", "x");
    let r = Mig::new(labels.path()).args(["heads"]).run().redacted();
    assert_eq!(
        r.stderr.trim(),
        "FAILED: Branch name 'x' in revision b already used by revision a (in `[DIR]/versions/b.sql:5` and `[DIR]/versions/a.sql:5`)"
    );

    let selfloop = tempfile::tempdir().expect("tempdir");
    ini(selfloop.path(), "dialect = postgresql");
    rev_file(selfloop.path(), "a", "a", "");
    let r = Mig::new(selfloop.path()).args(["heads"]).run();
    assert!(
        r.stderr
            .starts_with("FAILED: Self-loop is detected in revisions (a) (in `")
            && r.stderr.contains("versions/a.sql:4`)"),
        "{}",
        r.stderr
    );

    // Unknown parent and unknown dependency: the line of the header that names them.
    let unknown = tempfile::tempdir().expect("tempdir");
    ini(unknown.path(), "dialect = postgresql");
    rev_file(unknown.path(), "a", "zz", "");
    let mig = Mig::new(unknown.path());
    let r = mig.with(["heads"]).run().redacted();
    assert_eq!(
        (r.code, r.stderr.trim().to_string()),
        (
            2,
            "FAILED: Revision zz referenced from a is not present (in `[DIR]/versions/a.sql:4`)"
                .to_string()
        )
    );
    std::fs::write(
        unknown.path().join("versions/a.sql"),
        "-- rev a\n--\n-- Revision ID: a\n-- Revises:\n-- Create Date: 2024-01-01\n\
         -- Depends On: nowhere\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n",
    )
    .expect("revision");
    let r = mig.with(["upgrade", "head", "--sql"]).run().redacted();
    assert_eq!(
        (r.code, r.stderr.trim().to_string()),
        (
            2,
            "FAILED: Dependency nowhere of revision a is not a known revision or branch label \
             (in `[DIR]/versions/a.sql:6`)"
                .to_string()
        )
    );

    let no_location = tempfile::tempdir().expect("tempdir");
    std::fs::write(no_location.path().join("alembic.ini"), "[alembic]\nx = 1\n").expect("ini");
    let r = Mig::new(no_location.path()).args(["heads"]).run();
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim(),
        "FAILED: No 'script_location' key found in configuration. (in `[alembic]` of `alembic.ini`)"
    );
}

#[test]
fn keys_only_revision_reads_are_interpolated_only_by_revision() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("versions")).expect("mkdir");
    std::fs::write(
        tmp.path().join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nfile_template = %(nowhere)s\n\n\
         [mig]\ndialect = postgresql\n",
    )
    .expect("ini");
    rev_file(tmp.path(), "a", "", "");
    let mig = Mig::new(tmp.path());
    assert_eq!(mig.with(["heads"]).ok(), "a (head)\n");
    assert!(mig
        .with(["upgrade", "head", "--sql"])
        .ok()
        .contains("-- Running upgrade  -> a"));
    let r = mig.with(["revision", "-m", "next"]).run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`file_template`"), "{}", r.stderr);
}
