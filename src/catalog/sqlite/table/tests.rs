use super::*;
use crate::catalog::sqlite::text::normalize;

fn constraints(sql: &str) -> Vec<(Option<String>, &'static str, Vec<String>, String)> {
    parse_create_table(sql)
        .map(|t| t.constraints)
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.name, c.kind.as_str(), c.columns, c.definition))
        .collect()
}

fn owned(
    name: Option<&str>,
    kind: &'static str,
    columns: &[&str],
    def: &str,
) -> (Option<String>, &'static str, Vec<String>, String) {
    (
        name.map(str::to_string),
        kind,
        columns.iter().map(|c| c.to_string()).collect(),
        def.to_string(),
    )
}

#[test]
fn column_constraints_read_as_table_constraints() {
    let sql = "CREATE TABLE u (\
        id INTEGER CONSTRAINT pk_u PRIMARY KEY AUTOINCREMENT, \
        email VARCHAR(200) NOT NULL CONSTRAINT uq_u_email UNIQUE ON CONFLICT ABORT, \
        n INT DEFAULT -1 CHECK (n <> 0) COLLATE NOCASE, \
        owner INT REFERENCES \"Users\" (id) ON DELETE SET NULL NOT DEFERRABLE NOT NULL, \
        g INT GENERATED ALWAYS AS (n * 2) STORED, \
        h INT AS (n+1))";
    assert_eq!(
        constraints(sql),
        [
            owned(
                Some("pk_u"),
                "primary key",
                &["id"],
                "primary key (id) autoincrement"
            ),
            owned(
                Some("uq_u_email"),
                "unique",
                &["email"],
                "unique (email) on conflict abort"
            ),
            owned(None, "check", &[], "check (n <> 0)"),
            owned(
                None,
                "foreign key",
                &["owner"],
                "foreign key (owner) references users (id) on delete set null not deferrable"
            ),
        ]
    );
    let table = parse_create_table(sql).unwrap_or_default();
    let columns: Vec<(&str, Option<&str>, Option<&str>)> = table
        .columns
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.collation.as_deref(),
                c.generated.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        columns,
        [
            ("id", None, None),
            ("email", None, None),
            ("n", Some("nocase"), None),
            ("owner", None, None),
            ("g", None, Some("n * 2")),
            ("h", None, Some("n + 1")),
        ]
    );
    let fk = table
        .constraints
        .get(3)
        .and_then(|c| c.referred_table.clone());
    assert_eq!(fk.as_deref(), Some("Users"));
}

#[test]
fn table_constraints() {
    let sql = "create table p (a int, b int, \
        constraint pk_p primary key (a, b), unique (b), \
        constraint ck_p check (a > 0 and b > 0), \
        constraint fk_p_u foreign key (b) references u (id) on delete cascade)";
    assert_eq!(
        constraints(sql),
        [
            owned(
                Some("pk_p"),
                "primary key",
                &["a", "b"],
                "primary key (a, b)"
            ),
            owned(None, "unique", &["b"], "unique (b)"),
            owned(Some("ck_p"), "check", &[], "check (a > 0 and b > 0)"),
            owned(
                Some("fk_p_u"),
                "foreign key",
                &["b"],
                "foreign key (b) references u (id) on delete cascade"
            ),
        ]
    );
}

#[test]
fn other_forms_are_not_parsed() {
    assert_eq!(parse_create_table("CREATE TABLE t AS SELECT 1"), None);
    assert_eq!(
        parse_create_table("CREATE VIRTUAL TABLE f USING fts5(body)"),
        None
    );
    assert_eq!(parse_create_table("CREATE TABLE t (a int"), None);
    assert_eq!(
        parse_create_table("CREATE TABLE t (a int check (a > 0)"),
        None
    );
    assert!(parse_create_table("CREATE TABLE t (a)").is_some());
}

#[test]
fn never_panics_on_fragments() {
    for sql in [
        "",
        "(",
        ")",
        "create table (",
        "create table t (constraint)",
        "create table t (x default",
        "create table t (x as",
        "x'",
        "[",
        "create table t (check)",
        "create table t (a references)",
    ] {
        let _ = normalize(sql);
        let _ = parse_create_table(sql);
    }
}
