use super::*;

fn parse(text: &str) -> Result<DodFile, String> {
    DodFile::parse(text, Path::new("dod.toml")).map_err(|e| e.to_string())
}

#[test]
fn checks_of_every_form() {
    let file = parse(
        r#"
[[check]]
title = "six tables"
sql = "SELECT count(*) FROM pg_tables"
expect = 6

[[check]]
title = "utc"
sql = "SELECT true"
expect = true

[[check]]
title = "row"
sql = "SELECT 1"
expect = "rows = 1"

[[check]]
title = "nn"
sql = "SELECT 1"
expect = "non-null"

[[check]]
exists = "function zero_admin.set_updated_at()"
"#,
    )
    .unwrap();
    let probes: Vec<_> = file.checks.iter().map(|c| (&c.title, c.line)).collect();
    assert_eq!(
        format!("{probes:?}"),
        r#"[("six tables", 2), ("utc", 7), ("row", 12), ("nn", 17), ("function zero_admin.set_updated_at() exists", 22)]"#
    );
    let expects: Vec<String> = file
        .checks
        .iter()
        .filter_map(|c| match &c.probe {
            Probe::Sql { expect, .. } => Some(expect.to_string()),
            Probe::Exists(_) => None,
        })
        .collect();
    assert_eq!(
        expects,
        ["`6`", "true", "exactly 1 row", "a value that is not NULL"]
    );
}

#[test]
fn malformed_files_name_file_and_line() {
    insta::assert_snapshot!(
        parse("[[check]]\ntitle = \"x\"\nsql = \"SELECT 1\"\n").unwrap_err(),
        @r#"`dod.toml` line 1, column 1: check 1 has `sql` but no `expect` (a literal, `true`, `"non-null"` or `"rows = N"`)"#
    );
    insta::assert_snapshot!(
        parse("[[check]]\ntitle = \"x\"\nsql = \"SELECT 1\"\nexpekt = 1\n").unwrap_err(),
        @"`dod.toml` line 4, column 1: unknown field `expekt`, expected one of `title`, `sql`, `expect`, `exists`"
    );
    insta::assert_snapshot!(
        parse("[[check]]\nexists = \"table t\"\n\n[[check]]\nexists = \"tabel t\"\n").unwrap_err(),
        @"`dod.toml` line 5, column 10: unknown kind `tabel` in `tabel t`; known: schema, extension, table, view, index, sequence, function, type, constraint, trigger"
    );
    insta::assert_snapshot!(
        parse("[[check]]\ntitle = \"x\"\nsql = \"SELECT 1\"\nexpect = [1]\n").unwrap_err(),
        @"`dod.toml` line 4, column 10: `expect` must be a string, a number or a boolean, not array"
    );
    insta::assert_snapshot!(
        parse("[[check]]\ntitle = \"x\"\n").unwrap_err(),
        @"`dod.toml` line 1, column 1: check 1 has neither `sql` nor `exists`"
    );
    insta::assert_snapshot!(
        parse("[[check]]\ntitle = \"x\"\nsql = \"SELECT 1\"\nexists = \"table t\"\n").unwrap_err(),
        @"`dod.toml` line 4, column 10: check 1 has both `sql` and `exists`; use one per check"
    );
    insta::assert_snapshot!(
        parse("[[check]\n").unwrap_err(),
        @"`dod.toml` line 1, column 9: unclosed array table, expected `]`"
    );
    insta::assert_snapshot!(
        parse("[[check]]\nexists = \"table t\"\nexpect = true\n").unwrap_err(),
        @"`dod.toml` line 3, column 10: `expect` does not go with `exists` (an existence check expects the object to exist)"
    );
}

#[test]
fn sqlite_refuses_kinds_it_cannot_check() {
    let file = parse("\n[[check]]\nexists = \"extension pgcrypto\"\n").unwrap();
    insta::assert_snapshot!(
        file.validate_for(Dialect::Sqlite).unwrap_err(),
        @"`dod.toml` line 2, column 1: `exists = \"extension pgcrypto\"` cannot be checked on sqlite: it knows table, view, index, trigger"
    );
    assert!(file.validate_for(Dialect::Postgresql).is_ok());
}

#[test]
fn judging_rows() {
    let one = |v: Option<&str>| vec![vec![v.map(str::to_string)]];
    assert_eq!(
        Expect::Text("6".into()).judge(&one(Some("6"))),
        (true, "got `6`".into())
    );
    assert_eq!(
        Expect::Text("6".into()).judge(&one(Some("5"))),
        (false, "got `5`".into())
    );
    assert!(Expect::True.judge(&one(Some("t"))).0);
    assert!(Expect::True.judge(&one(Some("1"))).0);
    assert!(!Expect::True.judge(&one(Some("f"))).0);
    assert!(!Expect::True.judge(&[]).0);
    assert!(Expect::False.judge(&one(Some("false"))).0);
    assert_eq!(
        Expect::NonNull.judge(&one(None)),
        (false, "got NULL".into())
    );
    assert_eq!(Expect::NonNull.judge(&[]), (false, "got no rows".into()));
    assert_eq!(
        Expect::Rows(2).judge(&one(None)),
        (false, "got 1 row".into())
    );
    assert!(Expect::Rows(0).judge(&[]).0);
}
