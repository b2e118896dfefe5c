use super::*;

#[test]
fn sqlx_source_locations_are_dropped() {
    assert_eq!(
            without_source_location(
                "encountered unexpected or invalid data: unexpected response from SSLRequest: 0x58 (sqlx_postgres::connection::tls:95)"
            ),
            "encountered unexpected or invalid data: unexpected response from SSLRequest: 0x58"
        );
    // Parentheses that are not a source location stay.
    assert_eq!(
        without_source_location("relation \"t\" (of schema a::b) does not exist"),
        "relation \"t\" (of schema a::b) does not exist"
    );
}

fn attempt() -> Attempt<'static> {
    static PASSWORD: std::sync::LazyLock<Secret> =
        std::sync::LazyLock::new(|| Secret::new("hunter2"));
    Attempt {
        target: "postgresql://bob:***@db:5432/app",
        user: "bob",
        database: "app",
        address: "db:5432",
        password: Some(&PASSWORD),
    }
}

fn problem(kind: FailureKind, code: Option<&str>, message: &str) -> String {
    classify(kind, code, message, &attempt()).to_string()
}

#[test]
fn server_codes_map_to_problems() {
    insta::assert_snapshot!(
        [
            problem(FailureKind::Server, Some("28P01"), "password authentication failed for user \"bob\""),
            problem(FailureKind::Server, Some("28000"), "role \"bob\" does not exist"),
            problem(FailureKind::Server, Some("3D000"), "database \"app\" does not exist"),
            problem(FailureKind::Server, Some("XX000"), "Tenant or user not found"),
            problem(FailureKind::Server, Some("28000"), "no pg_hba.conf entry for host \"10.0.0.1\", user \"bob\", database \"app\", SSL off"),
            problem(FailureKind::Server, Some("28000"), "no pg_hba.conf entry for host \"10.0.0.1\", user \"bob\", database \"app\", SSL encryption"),
            problem(FailureKind::Server, Some("1045"), "Access denied for user 'bob'@'10.0.0.1' (using password: YES)"),
            problem(FailureKind::Server, Some("1049"), "Unknown database 'app'"),
            problem(FailureKind::Server, Some("3159"), "Connections using insecure transport are prohibited while --require_secure_transport=ON."),
            problem(FailureKind::Io, None, "Connection refused (os error 111)"),
            problem(FailureKind::Tls, None, "server does not support TLS"),
            problem(FailureKind::Server, Some("14"), "unable to open database file"),
            problem(FailureKind::Server, Some("53300"), "sorry, too many clients already"),
        ]
        .join("\n"),
        @r"
        authentication failed for user `bob` (check the user name and password)
        the server does not know user `bob`
        database `app` does not exist
        the connection pooler does not know user or tenant `bob` (check the user name, which some poolers expect as `user.project`, and the port)
        the server requires an encrypted connection (add `sslmode=require` to the URL)
        the server's access rules reject user `bob` from this client
        authentication failed for user `bob` (check the user name and password)
        database `app` does not exist
        the server requires an encrypted connection (add `sslmode=require` to the URL)
        cannot reach a server at `db:5432`
        the TLS handshake failed
        cannot open the database file (check that its directory exists and is writable)
        the connection failed
        "
    );
}

#[test]
fn the_password_is_scrubbed_from_quoted_messages() {
    let err = sqlx::Error::Protocol("unexpected reply for hunter2".into());
    let diagnosed = ConnectError::from_sqlx(&attempt(), &err);
    let text = diagnosed.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    insta::assert_snapshot!(text, @"cannot connect to `postgresql://bob:***@db:5432/app`: the connection failed; the error was: encountered unexpected or invalid data: unexpected reply for ***");
}
