use insta::assert_snapshot;

use super::*;

/// Every component of a parsed URL, for table-style assertions (password included:
/// this is test-only).
fn parts(url: &str) -> String {
    let u = DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    format!(
        "{:?} driver={:?} user={:?} password={:?} host={:?} port={:?} db={:?} query={:?}",
        u.dialect(),
        u.driver(),
        u.user(),
        u.password().map(Secret::expose),
        u.host(),
        u.port(),
        u.database(),
        u.query()
    )
}

fn err(url: &str) -> String {
    match DatabaseUrl::parse(url) {
        Ok(u) => panic!("{url} parsed as {u:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn postgresql_forms() {
    assert_snapshot!(parts("postgresql://user:pw@host:6543/postgres?sslmode=require"), @r#"Postgresql driver=None user=Some("user") password=Some("pw") host=Some("host") port=Some(6543) db=Some("postgres") query=[("sslmode", "require")]"#);
    assert_snapshot!(parts("postgres://u@h/db"), @r#"Postgresql driver=None user=Some("u") password=None host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("postgresql+psycopg://u:p@h/db"), @r#"Postgresql driver=Some("psycopg") user=Some("u") password=Some("p") host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("postgresql+psycopg2://h"), @r#"Postgresql driver=Some("psycopg2") user=None password=None host=Some("h") port=None db=None query=[]"#);
    assert_snapshot!(parts("postgresql+asyncpg://u:p@h:5432/db?ssl=true&application_name=api"), @r#"Postgresql driver=Some("asyncpg") user=Some("u") password=Some("p") host=Some("h") port=Some(5432) db=Some("db") query=[("ssl", "true"), ("application_name", "api")]"#);
}

#[test]
fn sqlite_forms() {
    assert_snapshot!(parts("sqlite:///relative.db"), @r#"Sqlite driver=None user=None password=None host=None port=None db=Some("relative.db") query=[]"#);
    assert_snapshot!(parts("sqlite:////absolute/dir/app.db"), @r#"Sqlite driver=None user=None password=None host=None port=None db=Some("/absolute/dir/app.db") query=[]"#);
    assert_snapshot!(parts("sqlite://"), @"Sqlite driver=None user=None password=None host=None port=None db=None query=[]");
    assert_snapshot!(parts("sqlite+pysqlite:///data/app.db?timeout=20"), @r#"Sqlite driver=Some("pysqlite") user=None password=None host=None port=None db=Some("data/app.db") query=[("timeout", "20")]"#);
    assert!(DatabaseUrl::parse("sqlite://").unwrap().is_sqlite_memory());
    assert!(DatabaseUrl::parse("sqlite:///:memory:")
        .unwrap()
        .is_sqlite_memory());
    assert!(!DatabaseUrl::parse("sqlite:///a.db")
        .unwrap()
        .is_sqlite_memory());
}

#[test]
fn sqlx_native_sqlite_forms() {
    assert_snapshot!(parts("sqlite:data/app.db?mode=ro"), @r#"Sqlite driver=None user=None password=None host=None port=None db=Some("data/app.db") query=[("mode", "ro")]"#);
    assert_snapshot!(parts("sqlite:/tmp/app.db"), @r#"Sqlite driver=None user=None password=None host=None port=None db=Some("/tmp/app.db") query=[]"#);
    let memory = DatabaseUrl::parse("sqlite::memory:").unwrap();
    assert!(memory.is_sqlite_memory());
    assert_eq!(memory.normalized(), "sqlite:///:memory:");
    let rel = DatabaseUrl::parse("sqlite:data/app.db").unwrap();
    assert_eq!(rel.normalized(), "sqlite:///data/app.db");
    assert_eq!(rel.to_sqlx_url(), "sqlite://data/app.db?mode=rwc");
}

#[test]
fn mysql_and_mariadb_forms() {
    assert_snapshot!(parts("mysql://root:pw@localhost:3306/app?charset=utf8mb4"), @r#"Mysql driver=None user=Some("root") password=Some("pw") host=Some("localhost") port=Some(3306) db=Some("app") query=[("charset", "utf8mb4")]"#);
    assert_snapshot!(parts("mysql+pymysql://u:p@h/db"), @r#"Mysql driver=Some("pymysql") user=Some("u") password=Some("p") host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("mysql+mysqldb://u:p@h/db"), @r#"Mysql driver=Some("mysqldb") user=Some("u") password=Some("p") host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("mariadb://u:p@h/db"), @r#"Mysql driver=None user=Some("u") password=Some("p") host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("mariadb+mariadbconnector://u@h/db"), @r#"Mysql driver=Some("mariadbconnector") user=Some("u") password=None host=Some("h") port=None db=Some("db") query=[]"#);
    assert_snapshot!(parts("mysql+pymysql://u:p@/db?unix_socket=/run/mysqld/mysqld.sock"), @r#"Mysql driver=Some("pymysql") user=Some("u") password=Some("p") host=Some("/run/mysqld/mysqld.sock") port=None db=Some("db") query=[("unix_socket", "/run/mysqld/mysqld.sock")]"#);
}

#[test]
fn percent_encoded_userinfo_and_database_are_decoded() {
    assert_snapshot!(parts("postgresql://us%40er:p%40ss%3Aw%2Frd%23@h/my%20db"), @r#"Postgresql driver=None user=Some("us@er") password=Some("p@ss:w/rd#") host=Some("h") port=None db=Some("my db") query=[]"#);
}

#[test]
fn ipv6_hosts() {
    assert_snapshot!(parts("postgresql://u:p@[::1]:5432/db"), @r#"Postgresql driver=None user=Some("u") password=Some("p") host=Some("::1") port=Some(5432) db=Some("db") query=[]"#);
    let url = DatabaseUrl::parse("postgresql://u:p@[2001:db8::7]/db").unwrap();
    assert_eq!(url.host(), Some("2001:db8::7"));
    assert_eq!(url.normalized(), "postgresql://u:***@[2001:db8::7]/db");
    assert_eq!(url.to_sqlx_url(), "postgres://u:p@[2001:db8::7]/db");
}

#[test]
fn raw_special_characters_in_passwords() {
    let cases = [
        ("postgresql://u:p@ss@h:5432/db", "p@ss"),
        ("postgresql://u:p:a:ss@h/db", "p:a:ss"),
        ("postgresql://u:pa/ss@h/db", "pa/ss"),
        ("postgresql://u:pa#ss@h/db?sslmode=require", "pa#ss"),
        ("postgresql://u:a@b:c/d#e@host:5432/db", "a@b:c/d#e"),
        ("postgresql://u:w?hy@host/db", "w?hy"),
    ];
    for (text, password) in cases {
        let url = DatabaseUrl::parse(text).unwrap();
        assert_eq!(url.password().map(Secret::expose), Some(password), "{text}");
        assert_eq!(url.user(), Some("u"), "{text}");
        assert!(matches!(url.host(), Some("h" | "host")), "{text}");
        assert!(!url.to_string().contains(password), "{text}");
    }
}

#[test]
fn no_password() {
    let url = DatabaseUrl::parse("postgresql://u@h/db").unwrap();
    assert_eq!(url.password().map(Secret::expose), None);
    assert_eq!(url.to_string(), "postgresql://u@h/db");
    assert_eq!(url.normalized(), "postgresql://u@h/db");
    let url = DatabaseUrl::parse("postgresql:///db").unwrap();
    assert_eq!((url.user(), url.host()), (None, None));
    assert_eq!(url.normalized(), "postgresql:///db");
}

#[test]
fn unix_sockets() {
    let query = DatabaseUrl::parse("postgresql://u:p@/db?host=/var/run/postgresql").unwrap();
    assert_eq!(query.host(), Some("/var/run/postgresql"));
    assert_eq!(
        query.normalized(),
        "postgresql://u:***@/db?host=/var/run/postgresql"
    );
    // sqlx refuses an empty host: the socket directory moves into the authority.
    assert_eq!(
        query.to_sqlx_url(),
        "postgres://u:p@%2Fvar%2Frun%2Fpostgresql/db"
    );
    let with_port =
        DatabaseUrl::parse("postgresql://u@/db?host=/tmp/s&port=5433&sslmode=disable").unwrap();
    assert_eq!(
        with_port.to_sqlx_url(),
        "postgres://u@%2Ftmp%2Fs:5433/db?sslmode=disable"
    );
    let encoded = DatabaseUrl::parse("postgresql://u@%2Ftmp%2Fpg:5433/db").unwrap();
    assert_eq!(encoded.host(), Some("/tmp/pg"));
    assert_eq!(encoded.port(), Some(5433));
    assert_eq!(encoded.normalized(), "postgresql://u@%2Ftmp%2Fpg:5433/db");
    assert_eq!(encoded.to_sqlx_url(), "postgres://u@%2Ftmp%2Fpg:5433/db");
}

#[test]
fn renderings() {
    let url = DatabaseUrl::parse(
        "postgresql+psycopg2://user:p%40ss@host:6543/postgres?sslmode=require&options=-c+search_path%3Dx",
    )
    .unwrap();
    assert_snapshot!(url.to_string(), @"postgresql+psycopg2://user:***@host:6543/postgres?sslmode=require&options=-c+search_path%3Dx");
    assert_snapshot!(url.normalized(), @"postgresql://user:***@host:6543/postgres?sslmode=require&options=-c%20search_path%3Dx");
    assert_snapshot!(url.to_sqlx_url(), @"postgres://user:p%40ss@host:6543/postgres?sslmode=require&options=-c%20search_path%3Dx");
    assert_snapshot!(url.to_string(), @"postgresql+psycopg2://user:***@host:6543/postgres?sslmode=require&options=-c+search_path%3Dx");

    let mysql =
        DatabaseUrl::parse("mariadb+pymysql://root:pw@db:3307/app?charset=utf8mb4").unwrap();
    assert_eq!(
        mysql.normalized(),
        "mariadb://root:***@db:3307/app?charset=utf8mb4"
    );
    assert_eq!(
        mysql.to_sqlx_url(),
        "mysql://root:pw@db:3307/app?charset=utf8mb4"
    );
}

#[test]
fn mysql_unix_sockets_reach_sqlx_as_socket_with_a_host() {
    let sqlx = |url: &str| DatabaseUrl::parse(url).unwrap().to_sqlx_url();
    assert_eq!(
        sqlx("mysql+pymysql://u:pw@/db?unix_socket=/run/mysqld/mysqld.sock"),
        "mysql://u:pw@localhost/db?socket=/run/mysqld/mysqld.sock"
    );
    assert_eq!(
        sqlx("mariadb://u@h/db?socket=/s.sock&charset=utf8mb4"),
        "mysql://u@h/db?socket=/s.sock&charset=utf8mb4"
    );
    assert_eq!(sqlx("mysql://u@h:3306/db"), "mysql://u@h:3306/db");
}

#[test]
fn sqlite_sqlx_urls() {
    let rel = DatabaseUrl::parse("sqlite+pysqlite:///data/app.db?timeout=20").unwrap();
    assert_eq!(rel.normalized(), "sqlite:///data/app.db?timeout=20");
    assert_eq!(rel.to_sqlx_url(), "sqlite://data/app.db?mode=rwc");
    let abs = DatabaseUrl::parse("sqlite:////tmp/my db.sqlite?mode=ro").unwrap();
    assert_eq!(abs.normalized(), "sqlite:////tmp/my%20db.sqlite?mode=ro");
    assert_eq!(abs.to_sqlx_url(), "sqlite:///tmp/my%20db.sqlite?mode=ro");
    assert_eq!(
        DatabaseUrl::parse("sqlite://").unwrap().normalized(),
        "sqlite://"
    );
    assert_eq!(
        DatabaseUrl::parse("sqlite://").unwrap().to_sqlx_url(),
        "sqlite::memory:"
    );
}

#[test]
fn surrounding_whitespace_is_ignored() {
    let url = DatabaseUrl::parse("  postgresql://u@h/db\n").unwrap();
    assert_eq!(url.to_string(), "postgresql://u@h/db");
}

#[test]
fn error_texts() {
    assert_snapshot!(err(""), @"the database URL is empty");
    assert_snapshot!(err("'postgresql://u:secret@h/db'"), @"the database URL `'postgresql://u:***@h/db'` is wrapped in quotes; remove them (quotes in a `.env` file or an environment variable are kept literally)");
    assert_snapshot!(err("\"postgresql://u:secret@h/db\""), @r#"the database URL `"postgresql://u:***@h/db"` is wrapped in quotes; remove them (quotes in a `.env` file or an environment variable are kept literally)"#);
    assert_snapshot!(err("u:secret@localhost:5432/db"), @"`u:***@localhost:5432/db` is not a database URL: it has no scheme such as `postgresql://`, `sqlite:///` or `mysql://`");
    assert_snapshot!(err("driver://user:secret@localhost/dbname"), @"unsupported database `driver` in `driver://user:***@localhost/dbname`: mig supports `postgresql`, `postgres`, `sqlite`, `mysql` and `mariadb`");
    assert_snapshot!(err("postgresql+pg9://u:secret@h/db"), @"unknown driver `pg9` for postgresql in `postgresql+pg9://u:***@h/db`; known drivers: psycopg2, psycopg, psycopg_async, asyncpg, pg8000, psycopg2cffi");
    assert_snapshot!(err("postgresql://u:secret@h:54x2/db"), @"the port in `postgresql://u:***@h:54x2/db` is not a number between 0 and 65535");
    assert_snapshot!(err("postgresql://u:secret@h:70000/db"), @"the port in `postgresql://u:***@h:70000/db` is not a number between 0 and 65535");
    assert_snapshot!(err("postgresql://user:secret/db"), @"the port in `postgresql://user:***/db` is not a number between 0 and 65535");
    assert_snapshot!(err("postgresql://u:secret@[::1/db"), @"the host in `postgresql://u:***@[::1/db` is not valid: `[` without a closing `]`");
    assert_snapshot!(err("sqlite://app.db"), @"invalid SQLite URL `sqlite://app.db`; valid forms are `sqlite://` (in memory), `sqlite:///relative/path/to/file.db` and `sqlite:////absolute/path/to/file.db`");
    assert_snapshot!(err("localhost:5432/db"), @"`localhost:5432/db` is not a database URL: it has no scheme such as `postgresql://`, `sqlite:///` or `mysql://`");
}

#[test]
fn no_output_contains_the_password() {
    const SECRET: &str = "Sup3rS3cret";
    let good = [
        format!("postgresql://u:{SECRET}@h:5432/db?sslmode=require"),
        format!("postgresql+asyncpg://u:{SECRET}%40x@h/db"),
        format!("postgresql://u@h/db?password={SECRET}"),
        format!("mysql+pymysql://u:{SECRET}@h/db"),
        format!("mariadb://u:a@{SECRET}@h/db"),
    ];
    for text in &good {
        let url = DatabaseUrl::parse(text).unwrap();
        assert!(url.password().is_some_and(|p| p.expose().contains(SECRET)));
        let outputs = [
            format!("{url:?}"),
            format!("{url:#?}"),
            url.to_string(),
            format!("{url}"),
            url.normalized(),
            serde_json::to_string(&url).unwrap(),
        ];
        for out in outputs {
            assert!(!out.contains(SECRET), "{text} leaked in {out}");
        }
    }
    let bad = [
        format!("'postgresql://u:{SECRET}@h/db'"),
        format!("u:{SECRET}@h/db"),
        format!("oracle://u:{SECRET}@h/db"),
        format!("postgresql+x://u:{SECRET}@h/db"),
        format!("postgresql://u:{SECRET}@h:x/db"),
        format!("postgresql://u:{SECRET}/db"),
        format!("postgresql://u:{SECRET}@[::1/db"),
        format!("sqlite://u:{SECRET}@h/db"),
    ];
    for text in &bad {
        let error = DatabaseUrl::parse(text).unwrap_err();
        for out in [error.to_string(), format!("{error:?}")] {
            assert!(!out.contains(SECRET), "{text} leaked in {out}");
        }
    }
}

#[test]
fn with_database_replaces_only_the_path() {
    let with = |text: &str, name: &str| {
        let url = DatabaseUrl::parse(text).unwrap().with_database(name);
        (
            url.to_string(),
            url.database().map(str::to_string),
            url.to_sqlx_url(),
        )
    };
    assert_eq!(
        with("postgresql://u:p@h:5432/app?sslmode=require", "t 1"),
        (
            "postgresql://u:***@h:5432/t%201?sslmode=require".to_string(),
            Some("t 1".to_string()),
            "postgres://u:p@h:5432/t%201?sslmode=require".to_string()
        )
    );
    assert_eq!(
        with("postgresql://mig@/postgres?host=/tmp/x", "db").0,
        "postgresql://mig@/db?host=/tmp/x"
    );
    assert_eq!(with("postgresql://h", "db").0, "postgresql://h/db");
    assert_eq!(
        with("postgresql+psycopg://u:pa/ss@h/app", "db").0,
        "postgresql+psycopg://u:***@h/db"
    );
}

/// A tiny deterministic generator, so the no-panic tests need no extra dependency.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let index = usize::try_from(self.0 >> 33).unwrap_or(0) % items.len();
        items[index]
    }
}

#[test]
fn arbitrary_input_never_panics() {
    let heads = [
        "postgresql://",
        "postgres+psycopg://",
        "sqlite:",
        "sqlite:///",
        "mysql://",
        "x://",
        "",
        "'",
    ];
    let pieces = [
        "a",
        ":",
        "/",
        "@",
        "?",
        "[",
        "]",
        "%",
        "%4",
        "%2F",
        "#",
        "=",
        "&",
        " ",
        "é",
        "\n",
        "+",
        "password=",
        "::1",
        "5432",
        "99999",
        "\u{1F600}",
        "://",
        "host",
        "..",
    ];
    let mut rng = Lcg(42);
    for _ in 0..20_000 {
        let mut text = rng.pick(&heads).to_string();
        for _ in 0..(rng.pick(&["1", "3", "6", "12"]).len() * 3) {
            text.push_str(rng.pick(&pieces));
        }
        if let Ok(url) = DatabaseUrl::parse(&text) {
            let _ = (
                url.to_string(),
                url.normalized(),
                url.to_sqlx_url(),
                format!("{url:?}"),
            );
            if let Some(password) = url.password().map(Secret::expose).filter(|p| p.len() > 24) {
                assert!(!url.normalized().contains(password), "{text}");
            }
        }
        let _ = (redact(&text, &[]), redact(&text, &["a@", "é"]));
    }
}
