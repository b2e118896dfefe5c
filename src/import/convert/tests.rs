use super::*;

fn body(sql: Option<&str>, error: Option<&str>) -> Body {
    Body {
        sql: sql.map(str::to_string),
        error: error.map(str::to_string),
        in_revision: true,
        autocommit: false,
        traceback: None,
    }
}

fn rev(id: &str, down: &[&str], up: Body, dn: Body) -> AlembicRevision {
    AlembicRevision {
        id: id.into(),
        down_revisions: down.iter().map(|s| s.to_string()).collect(),
        branch_labels: vec![],
        depends_on: vec![],
        message: "some\nchange".into(),
        create_date: None,
        path: PathBuf::from("/p/versions/sub/x_some_change.py"),
        location: Some(PathBuf::from("/p/versions")),
        upgrade: up,
        downgrade: dn,
    }
}

fn converted(r: &AlembicRevision) -> Converted {
    convert(r, Path::new("versions"), "versions/sub/x_some_change.py").expect("converts")
}

#[test]
fn bodies_and_header_become_a_revision_file() {
    let r = rev(
        "x",
        &["a", "b"],
        body(Some("CREATE TABLE t (id int);\n\n"), None),
        body(Some("DROP TABLE t;\n\n"), None),
    );
    let c = converted(&r);
    assert_eq!(c.file, PathBuf::from("versions/sub/x_some_change.sql"));
    assert_eq!(c.outcome, Conversion::Converted);
    assert_eq!(
        c.text,
        "-- some change\n--\n-- Revision ID: x\n-- Revises: a, b\n--\n\
             -- Converted by `mig import alembic` from versions/sub/x_some_change.py\n\n\
             -- migrate:upgrade\nCREATE TABLE t (id int);\n\n\
             -- migrate:downgrade\nDROP TABLE t;\n"
    );
}

#[test]
fn raising_or_empty_downgrades_are_irreversible_but_empty_merges_are_not() {
    let up = || body(Some("SELECT 1;\n\n"), None);
    let raised = converted(&rev(
        "x",
        &[],
        up(),
        body(None, Some("NotImplementedError")),
    ));
    assert_eq!(
        raised.outcome,
        Conversion::Irreversible("Alembic's downgrade() raised NotImplementedError".into())
    );
    assert!(raised.text.ends_with(
        "-- migrate:downgrade irreversible\n-- Alembic's downgrade() raised NotImplementedError\n"
    ));
    let empty = converted(&rev("x", &[], up(), body(Some(""), None)));
    assert!(matches!(empty.outcome, Conversion::Irreversible(_)));
    let merge = converted(&rev(
        "m",
        &["a", "b"],
        body(Some(""), None),
        body(Some(""), None),
    ));
    assert_eq!(merge.outcome, Conversion::Converted);
}

#[test]
fn a_revision_that_cannot_render_gets_todo_bodies() {
    let r = rev(
        "x",
        &[],
        body(None, Some("AttributeError: no")),
        body(Some(""), None),
    );
    let c = converted(&r);
    assert_eq!(c.outcome, Conversion::Skipped("AttributeError: no".into()));
    assert!(c
        .text
        .contains("-- migrate:upgrade\n-- TODO: Alembic could not render"));
    assert!(c.text.contains("--   AttributeError: no\n"));
    assert!(c
        .text
        .contains("-- migrate:downgrade\n-- TODO: write the downgrade"));
}

#[test]
fn autocommit_blocks_run_outside_a_transaction_and_bad_ids_are_refused() {
    let mut r = rev(
        "x",
        &[],
        body(Some("VACUUM;"), None),
        body(Some("SELECT 1;"), None),
    );
    r.downgrade.autocommit = true;
    let c = converted(&r);
    assert!(c.no_transaction && c.text.contains("\n-- Transaction: none\n"));
    let long = rev(
        &"a".repeat(40),
        &[],
        body(Some(""), None),
        body(Some(""), None),
    );
    let err = convert(&long, Path::new("versions"), "x.py").expect_err("too long");
    assert!(err.contains("VARCHAR(32)"), "{err}");
}
