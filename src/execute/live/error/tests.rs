use super::*;

fn server() -> ServerError {
    ServerError {
        dialect: Dialect::Postgresql,
        message: "relation \"nope\" does not exist".into(),
        code: Some("42P01".into()),
        detail: None,
        hint: None,
        position: Some(13),
    }
}

#[test]
fn driver_errors_lose_their_source_location() {
    let err = sqlx::Error::Protocol(
        "execute: unexpected message: CopyInResponse (sqlx_postgres::connection::executor:366)"
            .into(),
    );
    let server = ServerError::from_sqlx(Dialect::Postgresql, &err);
    assert_eq!(
        server.to_string(),
        "encountered unexpected or invalid data: execute: unexpected message: CopyInResponse"
    );
}

#[test]
fn messages_name_file_line_and_code() {
    let err = LiveError::Statement(Box::new(StatementFailure {
        revision: "bbb222".into(),
        path: "versions/bbb222.sql".into(),
        index: 1,
        line: 9,
        column: 1,
        statement: "INSERT INTO nope VALUES (1)".into(),
        server: server(),
        error_at: Some((9, 13)),
        in_transaction: true,
    }));
    insta::assert_snapshot!(err.to_string(), @r#"revision `bbb222` failed at `versions/bbb222.sql` line 9, column 1: relation "nope" does not exist (SQLSTATE 42P01)"#);
    let lite = ServerError {
        dialect: Dialect::Sqlite,
        code: Some("1".into()),
        ..server()
    };
    assert_eq!(
        lite.to_string(),
        "relation \"nope\" does not exist (code 1)"
    );
    let conflict = LiveError::Conflict {
        expected: vec!["a".into()],
        found: vec![],
    };
    assert_eq!(
        conflict.to_string(),
        "the version table changed while migrating: expected `a`, found no revision"
    );
}
