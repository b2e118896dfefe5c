use super::*;
use crate::revision::Section;

fn rev(id: &str, sql: &str) -> Revision {
    Revision {
        id: id.into(),
        down_revisions: vec![],
        branch_labels: vec![],
        depends_on: vec![],
        message: String::new(),
        create_date: None,
        transaction: Default::default(),
        downgrade_keeps: vec![],
        upgrade: Section {
            sql: sql.into(),
            line: 1,
        },
        downgrade: crate::revision::Downgrade::Sql(Section::default()),
        path: "x.sql".into(),
        lines: Default::default(),
    }
}

#[test]
fn finds_statements_not_comments_or_strings() {
    let revisions = [
        rev(
            "a",
            "-- CREATE EXTENSION commented;\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n\
                 /* note /* nested */ */ create extension \"Uuid-Ossp\" schema public;\n\
                 SELECT 'CREATE EXTENSION nope';",
        ),
        rev("b", "CREATE EXTENSION PGCRYPTO;\nCREATE TABLE t (id int);"),
    ];
    let found = required_extensions(&revisions);
    assert_eq!(
        format!("{found:?}"),
        r#"{"Uuid-Ossp": ["a"], "pgcrypto": ["a", "b"]}"#
    );
}
