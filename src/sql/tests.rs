//! The statement splitter: quoting, comments and dollar quotes per dialect, locations and
//! errors (bodies holding semicolons: `tests/bodies.rs`; random input: `tests/garbage.rs`).

use insta::assert_snapshot;

use super::*;
use Dialect::{Mysql, Postgresql, Sqlite};

const ALL: [Dialect; 3] = [Postgresql, Sqlite, Mysql];

fn texts(sql: &str, dialect: Dialect) -> Vec<String> {
    match split_statements(sql, dialect) {
        Ok(statements) => statements.into_iter().map(|s| s.text.to_owned()).collect(),
        Err(err) => panic!("{} failed to split: {err}\n{sql}", dialect.name()),
    }
}

fn positions(sql: &str, dialect: Dialect) -> Vec<(usize, usize)> {
    split_statements(sql, dialect)
        .unwrap()
        .into_iter()
        .map(|s| (s.line, s.column))
        .collect()
}

fn error(sql: &str, dialect: Dialect) -> String {
    match split_statements(sql, dialect) {
        Ok(statements) => panic!("expected an error, got {statements:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn splits_on_semicolons_and_keeps_trailing_text() {
    for dialect in ALL {
        assert_eq!(
            texts(
                "CREATE TABLE a (id int);\n  DROP TABLE b ;\nSELECT 1",
                dialect
            ),
            ["CREATE TABLE a (id int)", "DROP TABLE b", "SELECT 1"]
        );
    }
}

#[test]
fn locates_the_first_token_of_each_statement() {
    let sql = "SELECT 1;\n\n  -- leading comment\n  SELECT 2; SELECT 3;\n\tSELECT\n4";
    assert_eq!(
        positions(sql, Postgresql),
        [(1, 1), (4, 3), (4, 13), (5, 2)]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let sql = "SELECT 'é😀'; SELECT 2";
    assert_eq!(positions(sql, Postgresql), [(1, 1), (1, 14)]);
}

#[test]
fn empty_and_comment_only_statements_are_dropped() {
    for dialect in ALL {
        assert!(texts("", dialect).is_empty());
        assert!(texts(" \n\t ; ;;\n", dialect).is_empty());
        assert!(texts("-- only a comment\n/* and another */", dialect).is_empty());
        assert_eq!(
            texts("SELECT 1;\n-- trailing comment\n/* trailing */\n", dialect),
            ["SELECT 1"]
        );
        assert_eq!(texts("-- a\n;SELECT 1", dialect), ["SELECT 1"]);
    }
}

#[test]
fn preceding_comments_stay_with_their_statement() {
    let sql = "-- create a\nCREATE TABLE a (id int);\n\n/* drop b */\n-- now\nDROP TABLE b;";
    assert_eq!(
        texts(sql, Postgresql),
        [
            "-- create a\nCREATE TABLE a (id int)",
            "/* drop b */\n-- now\nDROP TABLE b"
        ]
    );
}

#[test]
fn a_comment_after_the_semicolon_on_the_same_line_belongs_to_no_statement() {
    let sql = "SELECT 1; -- about the first\n-- about the second\nSELECT 2; /* x */ SELECT 3";
    assert_eq!(
        texts(sql, Postgresql),
        ["SELECT 1", "-- about the second\nSELECT 2", "SELECT 3"]
    );
}

#[test]
fn single_quotes_with_doubled_quotes() {
    for dialect in ALL {
        assert_eq!(
            texts("SELECT 'a;b''c;'; SELECT ''';'", dialect),
            ["SELECT 'a;b''c;'", "SELECT ''';'"]
        );
    }
}

#[test]
fn backslash_is_literal_in_standard_strings_but_escapes_in_mysql() {
    let sql = r"SELECT 'a\'; SELECT 'b'";
    assert_eq!(texts(sql, Postgresql), [r"SELECT 'a\'", "SELECT 'b'"]);
    assert_eq!(texts(sql, Sqlite), [r"SELECT 'a\'", "SELECT 'b'"]);
    assert_eq!(
        texts(r"SELECT 'it\'s;'; SELECT 2", Mysql),
        [r"SELECT 'it\'s;'", "SELECT 2"]
    );
    assert_eq!(
        error(sql, Mysql),
        "unterminated quoted string at line 1, column 23"
    );
}

#[test]
fn postgres_e_strings_take_backslash_escapes() {
    let sql = r"SELECT E'it\'s; \\'; SELECT e'\'';";
    assert_eq!(
        texts(sql, Postgresql),
        [r"SELECT E'it\'s; \\'", r"SELECT e'\''"]
    );
    // `xe'...'` is an identifier followed by a standard string, not an E string.
    assert_eq!(
        texts(r"SELECT xe'\'; SELECT 1", Postgresql),
        [r"SELECT xe'\'", "SELECT 1"]
    );
}

#[test]
fn double_quoted_identifiers() {
    let sql = r#"CREATE TABLE "a;b""c" (x int); SELECT 1"#;
    for dialect in ALL {
        assert_eq!(
            texts(sql, dialect),
            [r#"CREATE TABLE "a;b""c" (x int)"#, "SELECT 1"]
        );
    }
    // MySQL double-quoted text is a string with backslash escapes.
    assert_eq!(
        texts(r#"SELECT "a\";"; SELECT 2"#, Mysql),
        [r#"SELECT "a\";""#, "SELECT 2"]
    );
}

#[test]
fn backticks_quote_in_mysql_and_sqlite_only() {
    let sql = "SELECT `a;b``c`; SELECT 2";
    assert_eq!(texts(sql, Mysql), ["SELECT `a;b``c`", "SELECT 2"]);
    assert_eq!(texts(sql, Sqlite), ["SELECT `a;b``c`", "SELECT 2"]);
    assert_eq!(texts(sql, Postgresql), ["SELECT `a", "b``c`", "SELECT 2"]);
}

#[test]
fn sqlite_brackets_quote_identifiers() {
    assert_eq!(
        texts("SELECT [a;b] FROM t; SELECT 2", Sqlite),
        ["SELECT [a;b] FROM t", "SELECT 2"]
    );
    assert_eq!(
        error("SELECT [a;b FROM t", Sqlite),
        "unterminated quoted identifier at line 1, column 8"
    );
}

#[test]
fn dollar_quotes() {
    let sql = "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.a := 'x;'; RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1";
    assert_eq!(
        texts(sql, Postgresql),
        [
            "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.a := 'x;'; RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql",
            "SELECT 1"
        ]
    );
    let tagged = "DO $body$ SELECT $$;$$; SELECT $x$;$x$; $body$; SELECT 2";
    assert_eq!(
        texts(tagged, Postgresql),
        ["DO $body$ SELECT $$;$$; SELECT $x$;$x$; $body$", "SELECT 2"]
    );
    assert_eq!(
        texts("SELECT $é$;$é$; SELECT 2", Postgresql),
        ["SELECT $é$;$é$", "SELECT 2"]
    );
    // In an identifier `$` is an ordinary character, so `a$$` opens nothing.
    assert_eq!(
        texts("SELECT a$$; SELECT 2", Postgresql),
        ["SELECT a$$", "SELECT 2"]
    );
}

#[test]
fn positional_parameters_are_not_dollar_quotes() {
    assert_eq!(
        texts("PREPARE p AS SELECT $1, $2; EXECUTE p(1, 2)", Postgresql),
        ["PREPARE p AS SELECT $1, $2", "EXECUTE p(1, 2)"]
    );
}

#[test]
fn dollar_quotes_are_postgres_only() {
    assert_eq!(
        texts("SELECT $$a; SELECT 2", Sqlite),
        ["SELECT $$a", "SELECT 2"]
    );
}

#[test]
fn line_comments_hide_quotes_and_semicolons() {
    for dialect in ALL {
        assert_eq!(
            texts("SELECT 1 -- it's; fine\n, 2; SELECT 3", dialect),
            ["SELECT 1 -- it's; fine\n, 2", "SELECT 3"]
        );
    }
}

#[test]
fn mysql_dash_comments_need_a_space_and_hash_comments_exist() {
    let sql = "SELECT 5--1; SELECT 2";
    assert_eq!(texts(sql, Mysql), ["SELECT 5--1", "SELECT 2"]);
    assert_eq!(texts(sql, Postgresql), ["SELECT 5--1; SELECT 2"]);
    assert_eq!(
        texts("SELECT 1 # it's; fine\n; SELECT 2", Mysql),
        ["SELECT 1 # it's; fine", "SELECT 2"]
    );
    assert_eq!(texts("SELECT 1 # x", Postgresql), ["SELECT 1 # x"]);
}

#[test]
fn mysql_executable_comments_are_statements() {
    assert_eq!(
        texts(
            "/*!40101 SET NAMES utf8mb4 */;\n/* plain */;\nSELECT 1",
            Mysql
        ),
        ["/*!40101 SET NAMES utf8mb4 */", "SELECT 1"]
    );
}

#[test]
fn block_comments_nest_in_postgres_only() {
    let sql = "/* a /* b; */ c; */ SELECT 1; */ x";
    assert_eq!(
        texts(sql, Postgresql),
        ["/* a /* b; */ c; */ SELECT 1", "*/ x"]
    );
    assert_eq!(
        texts(sql, Sqlite),
        ["/* a /* b; */ c", "*/ SELECT 1", "*/ x"]
    );
    assert_eq!(
        texts("/*/ x; */ SELECT 1", Postgresql),
        ["/*/ x; */ SELECT 1"]
    );
}

#[test]
fn unterminated_constructs_are_located_where_they_start() {
    assert_snapshot!(error("SELECT 1;\nSELECT 'abc;\n", Postgresql), @"unterminated quoted string at line 2, column 8");
    assert_snapshot!(error("SELECT E'abc\\';", Postgresql), @"unterminated quoted string at line 1, column 8");
    assert_snapshot!(error("SELECT \"abc;", Sqlite), @"unterminated quoted identifier at line 1, column 8");
    assert_snapshot!(error("SELECT \"abc;", Mysql), @"unterminated quoted string at line 1, column 8");
    assert_snapshot!(error("SELECT `abc;", Mysql), @"unterminated quoted identifier at line 1, column 8");
    assert_snapshot!(error("  SELECT 1;\n  DO $fn$ BEGIN END $$;", Postgresql), @"unterminated dollar-quoted string `$fn$` at line 2, column 6");
    assert_snapshot!(error("SELECT 1; /* a /* b */", Postgresql), @"unterminated block comment at line 1, column 11");
    assert_snapshot!(error("é; /* x", Sqlite), @"unterminated block comment at line 1, column 4");
}

#[test]
fn validate_agrees_with_split() {
    assert!(validate("SELECT 'a'; SELECT $$;$$", Postgresql).is_ok());
    assert_eq!(
        validate("SELECT 1;\n'", Sqlite),
        Err(SplitError {
            message: "unterminated quoted string".into(),
            line: 2,
            column: 1,
        })
    );
}

#[test]
fn many_statements_on_one_line_stay_linear() {
    // Quadratic column counting would take minutes here.
    let sql = "SELECT 1;".repeat(200_000);
    let statements = split_statements(&sql, Postgresql).unwrap();
    assert_eq!(statements.len(), 200_000);
    assert_eq!(statements.last().map(|s| s.column), Some(9 * 199_999 + 1));
    let dollars = "$a".repeat(100_000);
    assert!(split_statements(&dollars, Postgresql).is_ok());
}

#[test]
fn unicode_spaces_are_whitespace() {
    for dialect in ALL {
        assert!(texts("\u{a0};\u{3000}\n", dialect).is_empty());
        assert_eq!(
            texts("SELECT\u{a0}1;\u{2003}SELECT 2", dialect),
            ["SELECT\u{a0}1", "SELECT 2"]
        );
    }
}

#[test]
fn excerpts_start_at_the_first_token() {
    let statement = "-- why\n/* a /* nested */ b */\n  INSERT INTO t VALUES ('--')";
    assert_eq!(
        without_leading_comments(statement, Postgresql),
        "INSERT INTO t VALUES ('--')"
    );
    assert_eq!(
        without_leading_comments("# mysql\nDROP TABLE t", Mysql),
        "DROP TABLE t"
    );
    assert_eq!(without_leading_comments("-- only", Sqlite), "-- only");
    assert_eq!(without_leading_comments("SELECT 1", Sqlite), "SELECT 1");
}

mod bodies;
mod garbage;
