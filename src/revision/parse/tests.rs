use std::path::Path;

use insta::assert_snapshot;

use super::*;
use crate::revision::{HeaderLines, Keep, TransactionMode};

const FULL: &str = "\
-- schema v1 inbox
--
-- Revision ID: 251018_schema_v1_inbox
-- Revises: 251018_initial_baseline
-- Create Date: 2025-10-18 17:30:00+00:00
-- Branch Labels: inbox
-- Depends On: 251018_other
-- Transaction: none
-- Downgrade Keeps: schema zero_admin, extension pgcrypto

-- migrate:upgrade
CREATE TABLE inbox (id int);

CREATE INDEX CONCURRENTLY ix_inbox_id ON inbox (id);

-- migrate:downgrade
DROP TABLE inbox;
";

fn parse(text: &str) -> Revision {
    match parse_revision(Path::new("versions/r.sql"), text) {
        Ok(revision) => revision,
        Err(err) => panic!("{err}"),
    }
}

fn error(text: &str) -> String {
    match parse_revision(Path::new("versions/r.sql"), text) {
        Ok(revision) => panic!("expected an error, parsed {revision:?}"),
        Err(err) => err.to_string(),
    }
}

/// A valid file with `header` lines (after the message) and the given bodies.
fn file(header: &str, upgrade: &str, downgrade: &str) -> String {
    format!(
        "-- message\n{header}\n-- migrate:upgrade\n{upgrade}\n-- migrate:downgrade\n{downgrade}\n"
    )
}

#[test]
fn parses_the_spec_example() {
    let revision = parse(FULL);
    assert_eq!(
        revision,
        Revision {
            id: "251018_schema_v1_inbox".into(),
            down_revisions: vec!["251018_initial_baseline".into()],
            branch_labels: vec!["inbox".into()],
            depends_on: vec!["251018_other".into()],
            message: "schema v1 inbox".into(),
            create_date: Some("2025-10-18 17:30:00+00:00".into()),
            transaction: TransactionMode::None,
            downgrade_keeps: vec![
                Keep {
                    kind: "schema".into(),
                    name: "zero_admin".into()
                },
                Keep {
                    kind: "extension".into(),
                    name: "pgcrypto".into()
                },
            ],
            upgrade: Section {
                sql: "CREATE TABLE inbox (id int);\n\nCREATE INDEX CONCURRENTLY ix_inbox_id ON inbox (id);"
                    .into(),
                line: 12,
            },
            downgrade: Downgrade::Sql(Section {
                sql: "DROP TABLE inbox;".into(),
                line: 17,
            }),
            path: "versions/r.sql".into(),
            lines: HeaderLines {
                revision_id: Some(3),
                revises: Some(4),
                branch_labels: Some(6),
                depends_on: Some(7),
            },
        }
    );
}

#[test]
fn optional_headers_default_to_empty() {
    let revision = parse(&file("-- Revision ID: a1", "SELECT 1;", ""));
    assert_eq!(revision.id, "a1");
    assert!(revision.down_revisions.is_empty());
    assert!(revision.branch_labels.is_empty());
    assert!(revision.depends_on.is_empty());
    assert!(revision.downgrade_keeps.is_empty());
    assert_eq!(revision.create_date, None);
    assert_eq!(revision.transaction, TransactionMode::Default);
    assert_eq!(
        revision.downgrade,
        Downgrade::Sql(Section {
            sql: String::new(),
            line: 6
        })
    );
}

#[test]
fn revises_none_or_empty_is_a_base_and_a_list_is_a_merge() {
    for revises in ["-- Revises:", "-- Revises: None", "-- Revises: none  "] {
        let revision = parse(&file(&format!("-- Revision ID: a\n{revises}"), "", ""));
        assert!(revision.down_revisions.is_empty(), "{revises}");
    }
    let merge = parse(&file("-- Revision ID: m\n-- Revises: b1, c1,d1", "", ""));
    assert_eq!(merge.down_revisions, ["b1", "c1", "d1"]);
}

#[test]
fn keys_are_case_insensitive_and_unknown_keys_are_comments() {
    let revision = parse(&file(
        "-- REVISION   id: x1\n--revises:a\n-- Note: not a key\n-- branch labels: l1, l2\n-- TRANSACTION: None",
        "",
        "",
    ));
    assert_eq!(revision.id, "x1");
    assert_eq!(revision.down_revisions, ["a"]);
    assert_eq!(revision.branch_labels, ["l1", "l2"]);
    assert_eq!(revision.transaction, TransactionMode::None);
    assert_eq!(revision.message, "message");
}

#[test]
fn message_is_the_first_comment_unless_that_is_a_key() {
    let keyed =
        parse("-- Revision ID: a\n-- later comment\n-- migrate:upgrade\n-- migrate:downgrade\n");
    assert_eq!(keyed.message, "");
    let spaced = parse("\n--\n--   Add: users table  \n-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n");
    assert_eq!(spaced.message, "Add: users table");
}

#[test]
fn transaction_modes() {
    for (value, mode) in [
        ("none", TransactionMode::None),
        ("NONE", TransactionMode::None),
        ("default", TransactionMode::Default),
        ("", TransactionMode::Default),
    ] {
        let revision = parse(&file(
            &format!("-- Revision ID: a\n-- Transaction: {value}"),
            "",
            "",
        ));
        assert_eq!(revision.transaction, mode, "{value}");
    }
    assert_snapshot!(
        error(&file("-- Revision ID: a\n-- Transaction: autocommit", "", "")),
        @"versions/r.sql:3: `Transaction: autocommit` is not a transaction mode; expected `none` or `default`"
    );
}

#[test]
fn downgrade_keeps_items() {
    let revision = parse(&file(
        "-- Revision ID: a\n-- Downgrade Keeps: Schema zero_admin, function zero_admin.f(a int, b text), materialized view s.\"mv, x\", type  s.mood,",
        "",
        "",
    ));
    let keeps: Vec<(String, String)> = revision
        .downgrade_keeps
        .into_iter()
        .map(|k| (k.kind, k.name))
        .collect();
    assert_eq!(
        keeps,
        [
            ("schema".into(), "zero_admin".into()),
            ("function".into(), "zero_admin.f(a int, b text)".into()),
            ("materialized view".into(), "s.\"mv, x\"".into()),
            ("type".into(), "s.mood".into()),
        ]
    );
    assert_snapshot!(
        error(&file("-- Revision ID: a\n-- Downgrade Keeps: schema zero_admin, pgcrypto", "", "")),
        @"versions/r.sql:3: `Downgrade Keeps:` item `pgcrypto` is not `<kind> <name>` (e.g. `schema zero_admin`, `extension pgcrypto`)"
    );
}

#[test]
fn irreversible_downgrades() {
    let plain = parse(
        "-- Revision ID: a\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade irreversible\n",
    );
    assert_eq!(plain.downgrade, Downgrade::Irreversible { line: 4 });
    let reasoned = parse(
        "-- Revision ID: a\n-- migrate:upgrade\n-- Migrate:Downgrade IRREVERSIBLE data is gone\n-- why: see above\n/* nothing */\n",
    );
    assert_eq!(reasoned.downgrade, Downgrade::Irreversible { line: 3 });
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade irreversible\n-- note\nDROP TABLE t;\n"),
        @"versions/r.sql:5: the downgrade is marked irreversible but its section holds SQL"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade maybe\n"),
        @"versions/r.sql:3: unexpected `maybe` after `-- migrate:downgrade`"
    );
}

#[test]
fn sections_are_verbatim_between_their_first_and_last_non_blank_lines() {
    let text = "-- Revision ID: a\r\n-- migrate:upgrade\r\n\r\n   \r\n  CREATE TABLE t (\r\n    id int\r\n  );  \r\n\r\n--migrate:downgrade\r\n\tDROP TABLE t;";
    let revision = parse(text);
    assert_eq!(
        revision.upgrade,
        Section {
            sql: "  CREATE TABLE t (\r\n    id int\r\n  );  ".into(),
            line: 5
        }
    );
    assert_eq!(
        revision.downgrade,
        Downgrade::Sql(Section {
            sql: "\tDROP TABLE t;".into(),
            line: 10
        })
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let revision =
        parse("\u{feff}-- hello\n-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n");
    assert_eq!(revision.message, "hello");
}

#[test]
fn id_errors() {
    assert_snapshot!(error(&file("-- Revises: x", "", "")), @"versions/r.sql:1: missing `Revision ID:` header");
    assert_snapshot!(error(&file("-- Revision ID:", "", "")), @"versions/r.sql:2: `Revision ID:` is empty");
    assert_snapshot!(error(&file("-- Revision ID: a-b", "", "")), @"versions/r.sql:2: Character(s) '-' not allowed in revision identifier 'a-b'");
    assert_snapshot!(error(&file("-- Revision ID: a@b+c:d", "", "")), @"versions/r.sql:2: Character(s) '+, :, @' not allowed in revision identifier 'a@b+c:d'");
    assert_snapshot!(error(&file("-- Revision ID: a b", "", "")), @"versions/r.sql:2: revision identifier 'a b' must not contain commas or whitespace");
    assert_snapshot!(
        error(&file("-- Revision ID: 251018_schema_v1_inbox_with_a_long_name", "", "")),
        @"versions/r.sql:2: revision identifier '251018_schema_v1_inbox_with_a_long_name' is 39 characters long and does not fit the version table's VARCHAR(32) column"
    );
    let exactly_32 = "a".repeat(32);
    assert_eq!(
        parse(&file(&format!("-- Revision ID: {exactly_32}"), "", "")).id,
        exactly_32
    );
}

#[test]
fn header_errors() {
    assert_snapshot!(
        error(&file("-- Revision ID: a\n-- revision id: b", "", "")),
        @"versions/r.sql:3: header `Revision ID:` is given twice (first at line 2)"
    );
    assert_snapshot!(
        error(&file("-- Revision ID: a\n-- Revises: b c", "", "")),
        @"versions/r.sql:3: `Revises:` item `b c` contains whitespace; separate items with commas"
    );
    assert_snapshot!(
        error("-- m\n-- Revision ID: a\nCREATE TABLE t (id int);\n-- migrate:upgrade\n-- migrate:downgrade\n"),
        @"versions/r.sql:3: SQL before `-- migrate:upgrade` would never run; the header holds only `--` comments"
    );
}

#[test]
fn marker_errors() {
    assert_snapshot!(error("-- Revision ID: a\nSELECT 1;\n"), @"versions/r.sql:1: missing `-- migrate:upgrade` section marker");
    assert_snapshot!(error("-- Revision ID: a\n-- migrate:downgrade\n"), @"versions/r.sql:1: missing `-- migrate:upgrade` section marker");
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade\nSELECT 1;\n"),
        @"versions/r.sql:1: missing `-- migrate:downgrade` section marker (write `-- migrate:downgrade irreversible` if the revision cannot be undone)"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n-- migrate:upgrade\n"),
        @"versions/r.sql:4: `-- migrate:upgrade` is given twice (first at line 2)"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n  --  migrate:downgrade\n"),
        @"versions/r.sql:4: `-- migrate:downgrade` is given twice (first at line 3)"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:downgrade\n-- migrate:upgrade\n"),
        @"versions/r.sql:2: `-- migrate:downgrade` comes before `-- migrate:upgrade` (line 3)"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:up\n-- migrate:down\n"),
        @"versions/r.sql:2: unknown section marker `-- migrate:up`; expected `-- migrate:upgrade` or `-- migrate:downgrade`"
    );
    assert_snapshot!(
        error("-- Revision ID: a\n-- migrate:upgrade now\n-- migrate:downgrade\n"),
        @"versions/r.sql:2: unexpected `now` after `-- migrate:upgrade`"
    );
}

#[test]
fn unterminated_sql_is_refused_at_its_line_and_column() {
    assert_snapshot!(
        error(&file("-- Revision ID: a", "CREATE TABLE t (id int);\nINSERT INTO t VALUES ('x);", "")),
        @"versions/r.sql:5: unterminated quoted string at column 23 in the upgrade section"
    );
    assert_snapshot!(
        error(&file("-- Revision ID: a", "", "\n\nSELECT /* x */ \"abc;")),
        @"versions/r.sql:8: unterminated quoted identifier at column 16 in the downgrade section"
    );
}

#[test]
fn bodies_only_need_to_lex_under_some_dialect() {
    // A MySQL `#` comment with an apostrophe is fine at load time...
    let mysql = parse(&file(
        "-- Revision ID: a",
        "SELECT 1; # it's mysql\nSELECT 2;",
        "",
    ));
    // ...and refused once the dialect is known to be PostgreSQL.
    assert!(check_sql(&mysql, Dialect::Mysql).is_ok());
    assert_snapshot!(
        check_sql(&mysql, Dialect::Postgresql).unwrap_err().to_string(),
        @"versions/r.sql:4: unterminated quoted string at column 15 in the upgrade section"
    );
    // An open dollar quote means nothing to SQLite and MySQL, so only the PostgreSQL
    // check sees it.
    let dollar = parse(&file("-- Revision ID: a", "", "\n\nDO $fn$ BEGIN END $$;"));
    assert!(check_sql(&dollar, Dialect::Sqlite).is_ok());
    assert_snapshot!(
        check_sql(&dollar, Dialect::Postgresql).unwrap_err().to_string(),
        @"versions/r.sql:8: unterminated dollar-quoted string `$fn$` at column 4 in the downgrade section"
    );
}

#[test]
fn checksum_ignores_line_endings_trailing_whitespace_and_blank_edges() {
    let section = |sql: &str| Section {
        sql: sql.into(),
        line: 1,
    };
    let base = checksum(&section("CREATE TABLE t (\n  id int\n);"));
    assert_eq!(
        base,
        checksum(&section("\n\nCREATE TABLE t (  \r\n  id int\t\r\n);\r\n\n"))
    );
    assert_ne!(base, checksum(&section("CREATE TABLE t (\n id int\n);")));
    assert_ne!(base, checksum(&section("CREATE TABLE t (\n\n  id int\n);")));
    // sha256("SELECT 1"), so the stored value never silently changes.
    assert_eq!(
        checksum(&section("SELECT 1 \n")),
        "e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5"
    );
    assert_eq!(
        checksum(&section("")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn arbitrary_text_never_panics() {
    let pieces = [
        "-- ",
        "--",
        "migrate:",
        "upgrade",
        "downgrade",
        "irreversible",
        "Revision ID:",
        "Revises:",
        "Downgrade Keeps:",
        "Transaction:",
        ":",
        ",",
        "(",
        ")",
        "\"",
        "'",
        "$$",
        "\n",
        "\r\n",
        " ",
        "a",
        "é",
        "\u{feff}",
        "none",
        "schema x",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20_000 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut pick = state;
        for _ in 0..(pick % 40) {
            pick = pick.rotate_left(5) ^ 0x9e37_79b9;
            text.push_str(pieces[(pick % pieces.len() as u64) as usize]);
        }
        let _ = parse_revision(Path::new("x.sql"), &text);
    }
}

#[test]
fn fast_trim_and_line_split_agree_with_std() {
    let samples = [
        "",
        " ",
        "\x0b-- x\x0b",
        "\u{a0}-- Revision ID: a\u{3000}",
        "\t-- migrate:upgrade \r",
        "é",
        " é ",
        "a\r\nb\n\nc",
        "\r\n\r\n",
        "x\n",
        "\n",
        "lone\rcarriage\r",
        "no newline at end",
    ];
    for text in samples {
        assert_eq!(layout::trim(text), text.trim(), "{text:?}");
        let expected: Vec<&str> = text
            .split_inclusive('\n')
            .map(|raw| raw.strip_suffix('\n').unwrap_or(raw))
            .map(|raw| raw.strip_suffix('\r').unwrap_or(raw))
            .collect();
        let got: Vec<&str> = layout::lines(text).iter().map(|line| line.text).collect();
        assert_eq!(got, expected, "{text:?}");
        for line in layout::lines(text) {
            assert_eq!(text.get(line.start..line.end()), Some(line.text));
        }
    }
    assert_eq!(
        layout::split_once_byte("Revises: a, b", b':'),
        Some(("Revises", " a, b"))
    );
    assert_eq!(layout::split_once_byte("é:ü", b':'), Some(("é", "ü")));
    assert_eq!(layout::split_once_byte("no colon", b':'), None);
}
