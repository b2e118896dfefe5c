use std::fs;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, TimeZone};
use insta::assert_snapshot;

use super::*;
use crate::revision::{Downgrade, Section};

fn revision_text(id: &str, revises: &str) -> String {
    format!("-- {id}\n-- Revision ID: {id}\n-- Revises: {revises}\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n")
}

fn put(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The error text with the temporary directory replaced by `[TMP]`.
fn redacted(err: impl std::fmt::Display, tmp: &Path) -> String {
    err.to_string().replace(&tmp.display().to_string(), "[TMP]")
}

fn ids(revisions: &[Revision]) -> Vec<&str> {
    revisions.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn loads_in_alembic_walk_order() {
    let tmp = tempfile::tempdir().unwrap();
    let versions = tmp.path().join("versions");
    put(&versions, "b.sql", &revision_text("b", "a"));
    put(&versions, "a.sql", &revision_text("a", ""));
    put(&versions, "sub/c.sql", &revision_text("c", "b"));
    put(&versions, "sub/deeper/e.sql", &revision_text("e", "d"));
    put(&versions, "sub/d.SQL", &revision_text("d", "c"));
    put(&versions, "z/f.sql", &revision_text("f", "e"));
    put(&versions, "zz.sql", &revision_text("zz", "f"));
    put(&versions, ".#b.sql", "editor lock file");
    put(&versions, "README.md", "not a revision");
    put(&versions, ".hidden/x.sql", "not loaded");

    let flat = load_revisions(std::slice::from_ref(&versions), false).unwrap();
    assert_eq!(ids(&flat), ["a", "b", "zz"]);
    let deep = load_revisions(std::slice::from_ref(&versions), true).unwrap();
    assert_eq!(ids(&deep), ["a", "b", "zz", "c", "d", "e", "f"]);
    assert_eq!(deep[0].path, versions.join("a.sql"));
}

#[test]
fn locations_load_in_the_given_order_and_overlaps_load_once() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    put(&one, "b.sql", &revision_text("b", ""));
    put(&two, "a.sql", &revision_text("a", ""));
    let revisions = load_revisions(&[one.clone(), two.clone(), one.join(".")], false).unwrap();
    assert_eq!(ids(&revisions), ["b", "a"]);
}

#[test]
fn a_missing_location_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let err = load_revisions(&[tmp.path().join("nope")], false).unwrap_err();
    assert_snapshot!(redacted(err, tmp.path()), @"version location `[TMP]/nope` does not exist");
    put(tmp.path(), "file", "");
    let err = load_revisions(&[tmp.path().join("file")], false).unwrap_err();
    assert_snapshot!(redacted(err, tmp.path()), @"version location `[TMP]/file` is not a directory");
}

#[test]
fn duplicate_ids_name_both_files() {
    let tmp = tempfile::tempdir().unwrap();
    put(tmp.path(), "1_first.sql", &revision_text("abc", ""));
    put(tmp.path(), "2_second.sql", &revision_text("abc", ""));
    let err = load_revisions(&[tmp.path().to_path_buf()], false).unwrap_err();
    assert_snapshot!(
        redacted(err, tmp.path()),
        @"revision `abc` is declared in two files: `[TMP]/1_first.sql` and `[TMP]/2_second.sql`"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    put(tmp.path(), "a.sql", &revision_text("a", ""));
    put(
        tmp.path(),
        "b.sql",
        "-- no id\n-- migrate:upgrade\n-- migrate:downgrade\n",
    );
    put(tmp.path(), "c.sql", &revision_text("a", ""));
    fs::write(tmp.path().join("d.sql"), b"-- \xff\n").unwrap();
    put(tmp.path(), "e.sql", &revision_text("bad-id", ""));
    let err = load_revisions(
        &[tmp.path().to_path_buf(), tmp.path().join("missing")],
        false,
    )
    .unwrap_err();
    assert_snapshot!(redacted(err, tmp.path()), @r"
    5 problems with the revision files:
      - version location `[TMP]/missing` does not exist
      - [TMP]/b.sql:1: missing `Revision ID:` header
      - `[TMP]/d.sql` is not UTF-8 text
      - [TMP]/e.sql:2: Character(s) '-' not allowed in revision identifier 'bad-id'
      - revision `a` is declared in two files: `[TMP]/a.sql` and `[TMP]/c.sql`
    ");
}

#[test]
fn check_revisions_applies_one_dialect() {
    let tmp = tempfile::tempdir().unwrap();
    put(
        tmp.path(),
        "a.sql",
        "-- Revision ID: a\n-- migrate:upgrade\nINSERT INTO t VALUES ('it\\'s');\n-- migrate:downgrade\n",
    );
    let revisions = load_revisions(&[tmp.path().to_path_buf()], false).unwrap();
    assert!(check_revisions(&revisions, Dialect::Mysql).is_ok());
    let err = check_revisions(&revisions, Dialect::Postgresql).unwrap_err();
    assert_snapshot!(
        redacted(err, tmp.path()),
        @"[TMP]/a.sql:3: unterminated quoted string at column 29 in the upgrade section"
    );
}

fn new_revision() -> NewRevision {
    NewRevision {
        id: "20251018173000".into(),
        message: "Add user's table!".into(),
        down_revisions: vec!["251018_initial_baseline".into()],
        branch_labels: vec![],
        depends_on: vec![],
        create_date: FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2025, 10, 18, 17, 30, 0)
            .unwrap(),
    }
}

#[test]
fn the_default_template_renders_alembic_like_headers() {
    assert_snapshot!(render_revision(DEFAULT_TEMPLATE, &new_revision()).unwrap(), @r"
    -- Add user's table!
    --
    -- Revision ID: 20251018173000
    -- Revises: 251018_initial_baseline
    -- Create Date: 2025-10-18 17:30:00+00:00
    -- Branch Labels:
    -- Depends On:

    -- migrate:upgrade


    -- migrate:downgrade
    ");
}

#[test]
fn written_revisions_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let versions = tmp.path().join("versions");
    let mut new = new_revision();
    new.id = "m1".into();
    new.message = "merge  heads\n  second line  ".into();
    new.down_revisions = vec!["b1".into(), "c1".into()];
    new.branch_labels = vec!["core".into(), "api".into()];
    new.depends_on = vec!["x2".into()];
    new.create_date += chrono::Duration::microseconds(1234);
    let written =
        write_revision(&versions, &new, DEFAULT_TEMPLATE, &FileNaming::default()).unwrap();
    let path = versions.join("m1_merge_heads_second_line.sql");
    assert_eq!(written.path, path);
    let reread = load_revisions(std::slice::from_ref(&versions), false).unwrap();
    assert_eq!(reread, std::slice::from_ref(&written));
    assert_eq!(written.id, "m1");
    assert_eq!(written.message, "merge  heads second line");
    assert_eq!(written.down_revisions, ["b1", "c1"]);
    assert_eq!(written.branch_labels, ["core", "api"]);
    assert_eq!(written.depends_on, ["x2"]);
    assert_eq!(
        written.create_date.as_deref(),
        Some("2025-10-18 17:30:00.001234+00:00")
    );
    assert_eq!(written.upgrade.sql, "");
    assert_eq!(
        written.downgrade,
        Downgrade::Sql(Section {
            sql: String::new(),
            line: 13
        })
    );

    let base = NewRevision {
        id: "a0".into(),
        message: String::new(),
        down_revisions: vec![],
        ..new_revision()
    };
    let written =
        write_revision(&versions, &base, DEFAULT_TEMPLATE, &FileNaming::default()).unwrap();
    assert_eq!(written.path, versions.join("a0_.sql"));
    assert!(written.down_revisions.is_empty());
    assert_eq!(written.message, "");
}

#[test]
fn file_templates_may_make_subdirectories() {
    let tmp = tempfile::tempdir().unwrap();
    let naming = FileNaming {
        file_template: "%(year)d/%(month).2d/%(rev)s_%(slug)s".into(),
        truncate_slug_length: 8,
    };
    let written = write_revision(tmp.path(), &new_revision(), DEFAULT_TEMPLATE, &naming).unwrap();
    assert_eq!(
        written.path,
        tmp.path().join("2025/10/20251018173000_add_.sql")
    );
    assert!(written.path.is_file());
}

#[test]
fn refuses_to_overwrite_and_to_write_bad_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_revision(
        dir,
        &new_revision(),
        DEFAULT_TEMPLATE,
        &FileNaming::default(),
    )
    .unwrap();
    let again = write_revision(
        dir,
        &new_revision(),
        DEFAULT_TEMPLATE,
        &FileNaming::default(),
    );
    assert_snapshot!(
        redacted(again.unwrap_err(), dir),
        @"`[TMP]/20251018173000_add_user_s_table.sql` already exists; refusing to overwrite it"
    );

    let bad_id = NewRevision {
        id: "a-b".into(),
        ..new_revision()
    };
    let err = write_revision(dir, &bad_id, DEFAULT_TEMPLATE, &FileNaming::default()).unwrap_err();
    assert_snapshot!(err.to_string(), @"Character(s) '-' not allowed in revision identifier 'a-b'");

    let err =
        write_revision(dir, &new_revision(), "-- ${msg}\n", &FileNaming::default()).unwrap_err();
    assert_snapshot!(
        err.to_string(),
        @"revision template: unknown placeholder `${msg}` at line 1; placeholders are message, revision, revises, create_date, branch_labels, depends_on"
    );
    let err = write_revision(
        dir,
        &new_revision(),
        "-- ${message}\n",
        &FileNaming::default(),
    )
    .unwrap_err();
    assert_snapshot!(
        redacted(err, dir),
        @"the revision template does not produce a valid revision file: [TMP]/20251018173000_add_user_s_table.sql:1: missing `-- migrate:upgrade` section marker"
    );
    let naming = FileNaming {
        file_template: "%(rev)s_%(nope)s".into(),
        truncate_slug_length: 40,
    };
    let err = write_revision(dir, &new_revision(), DEFAULT_TEMPLATE, &naming).unwrap_err();
    assert_snapshot!(
        err.to_string(),
        @"`file_template` `%(rev)s_%(nope)s`: unknown token `nope`; tokens are rev, slug, epoch, year, month, day, hour, minute, second"
    );
    // Nothing but the first file was written.
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn create_dates_print_like_python() {
    let date = FixedOffset::east_opt(-(5 * 3600 + 30 * 60))
        .unwrap()
        .with_ymd_and_hms(2025, 1, 2, 3, 4, 5)
        .unwrap();
    assert_eq!(format_create_date(&date), "2025-01-02 03:04:05-05:30");
    let with_micros = date + chrono::Duration::microseconds(7);
    assert_eq!(
        format_create_date(&with_micros),
        "2025-01-02 03:04:05.000007-05:30"
    );
}

#[test]
fn large_histories_load_in_order_across_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let count = 700;
    for i in 0..count {
        let revises = if i == 0 {
            String::new()
        } else {
            format!("r{:04}", i - 1)
        };
        put(
            tmp.path(),
            &format!("{i:04}.sql"),
            &revision_text(&format!("r{i:04}"), &revises),
        );
    }
    put(tmp.path(), "0350.sql", &revision_text("bad-1", ""));
    put(tmp.path(), "0690.sql", &revision_text("bad-2", ""));
    let err = load_revisions(&[tmp.path().to_path_buf()], false).unwrap_err();
    assert_snapshot!(redacted(err, tmp.path()), @r"
    2 problems with the revision files:
      - [TMP]/0350.sql:2: Character(s) '-' not allowed in revision identifier 'bad-1'
      - [TMP]/0690.sql:2: Character(s) '-' not allowed in revision identifier 'bad-2'
    ");
    fs::remove_file(tmp.path().join("0350.sql")).unwrap();
    fs::remove_file(tmp.path().join("0690.sql")).unwrap();
    let revisions = load_revisions(&[tmp.path().to_path_buf()], false).unwrap();
    let expected: Vec<String> = (0..count)
        .filter(|i| *i != 350 && *i != 690)
        .map(|i| format!("r{i:04}"))
        .collect();
    assert_eq!(ids(&revisions), expected);
}

#[test]
fn long_short_and_non_utf8_files_read_whole_with_a_reused_buffer() {
    let tmp = tempfile::tempdir().unwrap();
    // Larger than the first read buffer (64 KiB), then a short file on the same thread:
    // nothing of the long one may leak into it.
    let long_body = format!("SELECT '{}';", "x".repeat(200_000));
    let long = format!(
        "-- Revision ID: a\n-- Revises:\n\n-- migrate:upgrade\n{long_body}\n\n-- migrate:downgrade\n"
    );
    put(tmp.path(), "a.sql", &long);
    put(tmp.path(), "b.sql", &revision_text("b", "a"));
    let revisions = load_revisions(&[tmp.path().to_path_buf()], false).unwrap();
    assert_eq!(revisions[0].upgrade.sql, long_body);
    assert_eq!(ids(&revisions), ["a", "b"]);
    assert!(!revisions[1].upgrade.sql.contains('x'));

    fs::write(tmp.path().join("c.sql"), b"-- Revision ID: c\n\xff\xfe\n").unwrap();
    let err = load_revisions(&[tmp.path().to_path_buf()], false).unwrap_err();
    assert_eq!(redacted(err, tmp.path()), "`[TMP]/c.sql` is not UTF-8 text");
}
