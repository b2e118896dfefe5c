//! Connection failures diagnosed in words, against a real server; no password in any text.

use std::time::{Duration, Instant};

use mig::db::{ConnectProblem, DbError};

use crate::support;

const PASSWORD: &str = "hunter2%40secret";
const DECODED: &str = "hunter2@secret";

/// The connection error for `url`, as text with the socket directory replaced.
async fn failure(url: &str) -> (DbError, String) {
    let err = crate::support::connect_pg(url)
        .await
        .expect_err("the connection should fail");
    let text = err.to_string().replace(&encoded_socket(), "[socket]");
    assert!(
        !text.contains(PASSWORD) && !text.contains(DECODED),
        "{text}"
    );
    (err, text)
}

/// The private server's socket directory as it appears in its URLs (percent-encoded).
fn encoded_socket() -> String {
    let url = support::ephemeral().url("x");
    let host = url
        .split_once('@')
        .and_then(|(_, rest)| rest.split_once(':'));
    host.expect("`user@host:port` in the URL").0.to_string()
}

/// `url` of the private server with user info `user:PASSWORD`.
fn url_as(user: &str, database: &str) -> String {
    support::ephemeral()
        .url(database)
        .replacen("mig@", &format!("{user}:{PASSWORD}@"), 1)
}

#[tokio::test]
async fn unknown_user() {
    let (err, text) = failure(&url_as("ghost", "postgres")).await;
    assert!(matches!(
        err,
        DbError::Connect(ref e) if e.problem == ConnectProblem::UnknownUser { user: "ghost".into() }
    ));
    assert_eq!(
        text,
        "cannot connect to `postgresql://ghost:***@[socket]:5432/postgres?sslmode=disable`: \
         the server does not know user `ghost`; the server said: role \"ghost\" does not exist"
    );
}

#[tokio::test]
async fn missing_database() {
    let (_, text) = failure(&url_as("mig", "no_such_db")).await;
    assert_eq!(
        text,
        "cannot connect to `postgresql://mig:***@[socket]:5432/no_such_db?sslmode=disable`: \
         database `no_such_db` does not exist; the server said: database \"no_such_db\" does not exist"
    );
}

#[tokio::test]
async fn unreachable_host() {
    let url = format!("postgresql://mig:{PASSWORD}@127.0.0.1:1/app");
    let (_, text) = failure(&url).await;
    assert_eq!(
        text,
        "cannot connect to `postgresql://mig:***@127.0.0.1:1/app`: cannot reach a server at \
         `127.0.0.1:1`; the error was: Connection refused (os error 111)"
    );

    let missing_socket = "postgresql://mig@%2Fnonexistent%2Fmig-test/app";
    let (_, text) = failure(missing_socket).await;
    assert!(
        text.starts_with(
            "cannot connect to `postgresql://mig@%2Fnonexistent%2Fmig-test/app`: cannot reach \
             a server at `/nonexistent/mig-test`; the error was: "
        ),
        "{text}"
    );
}

/// The private server's `pg_hba.conf` gets a password rule for one role; everything else
/// stays on trust.
#[tokio::test]
async fn wrong_password() {
    let server = support::ephemeral();
    let admin = support::ephemeral_db("wrong_password");
    let mut conn = crate::support::connect_pg(admin.url()).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE ROLE mig_pw_user LOGIN PASSWORD '{DECODED}'"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    let hba = server.data_dir().join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).unwrap();
    std::fs::write(
        &hba,
        format!("local all mig_pw_user scram-sha-256\n{rules}"),
    )
    .unwrap();
    sqlx::raw_sql("SELECT pg_reload_conf()")
        .execute(&mut conn)
        .await
        .unwrap();

    let wrong = url_as("mig_pw_user", admin.name()).replace(PASSWORD, "wrong%21pass");
    // The reload is asynchronous: until it lands, trust still lets anyone in.
    let deadline = Instant::now() + Duration::from_secs(10);
    let err = loop {
        match crate::support::connect_pg(&wrong).await {
            Err(err) => break err,
            Ok(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Ok(_) => panic!("the password rule never took effect"),
        }
    };
    let text = err
        .to_string()
        .replace(&encoded_socket(), "[socket]")
        .replace(admin.name(), "[db]");
    assert!(
        !text.contains("wrong%21pass") && !text.contains("wrong!pass"),
        "{text}"
    );
    assert_eq!(
        text,
        "cannot connect to `postgresql://mig_pw_user:***@[socket]:5432/[db]?sslmode=disable`: \
         authentication failed for user `mig_pw_user` (check the user name and password); \
         the server said: password authentication failed for user \"mig_pw_user\""
    );

    let right = url_as("mig_pw_user", admin.name());
    crate::support::connect_pg(&right)
        .await
        .expect("the right password (percent-encoded in the URL) is accepted");
}
