use chrono::TimeZone;

use super::operator::user_name;
use super::*;
use crate::config::VersionTable;

fn settings(schema: Option<&str>, history: Option<&str>) -> ExecSettings {
    ExecSettings {
        version_table: VersionTable {
            schema: schema.map(Into::into),
            ..VersionTable::default()
        },
        history_table: history.map(Into::into),
        ..ExecSettings::default()
    }
}

fn entry() -> HistoryEntry {
    HistoryEntry {
        revision: Some("aaa111".into()),
        kind: HistoryKind::Upgrade,
        checksum: Some("ab12".into()),
        started_at: Utc.with_ymd_and_hms(2025, 10, 18, 17, 30, 0).unwrap(),
        duration_ms: 42,
        operator: "deploy@ci".into(),
        success: false,
        error: Some("it's\0 broken".into()),
        reason: None,
        progress: None,
    }
}

#[test]
fn disabled_when_empty_and_beside_the_version_table() {
    assert_eq!(
        HistoryTable::new(Dialect::Postgresql, &settings(None, Some(" "))),
        None
    );
    assert_eq!(
        HistoryTable::new(Dialect::Postgresql, &settings(None, None)),
        None
    );
    let table = HistoryTable::new(
        Dialect::Postgresql,
        &settings(Some("Admin"), Some("mig_history")),
    )
    .unwrap();
    assert_eq!(table.qualified(), "\"Admin\".mig_history");
}

#[test]
fn insert_inlines_escaped_literals_per_dialect() {
    let pg = HistoryTable::new(Dialect::Postgresql, &settings(None, Some("mig_history")))
        .unwrap()
        .insert_sql(&entry());
    assert_eq!(
        pg,
        format!(
            "INSERT INTO mig_history (revision, direction, checksum, started_at, duration_ms, \
                 operator, mig_version, success, error, reason) VALUES ('aaa111', 'upgrade', \
                 'ab12', '2025-10-18 17:30:00.000000+00', 42, 'deploy@ci', '{MIG_VERSION}', \
                 FALSE, 'it''s broken', NULL)"
        )
    );
    let lite = HistoryTable::new(Dialect::Sqlite, &settings(None, Some("h")))
        .unwrap()
        .insert_sql(&entry());
    assert!(lite.contains("'2025-10-18T17:30:00.000000Z'"), "{lite}");
    let my = HistoryTable::new(Dialect::Mysql, &settings(None, Some("h")))
        .unwrap()
        .insert_sql(&HistoryEntry {
            error: Some(r"C:\path".into()),
            ..entry()
        });
    assert!(my.contains(r"'C:\\path'"), "{my}");
    assert!(my.contains("'2025-10-18 17:30:00.000000'"), "{my}");
    let two = HistoryTable::new(Dialect::Sqlite, &settings(None, Some("h")))
        .unwrap()
        .insert_rows_sql(&[entry(), entry()]);
    assert_eq!(two.matches("('aaa111', 'upgrade'").count(), 2, "{two}");
    assert!(two.contains("), ('aaa111'"), "{two}");
}

#[test]
fn create_names_every_column() {
    let table = HistoryTable::new(Dialect::Sqlite, &settings(None, Some("mig_history"))).unwrap();
    insta::assert_snapshot!(table.create_sql(), @r"
        CREATE TABLE mig_history (
            revision VARCHAR(255),
            direction VARCHAR(16) NOT NULL,
            checksum VARCHAR(64),
            started_at TEXT NOT NULL,
            duration_ms BIGINT NOT NULL,
            operator VARCHAR(255) NOT NULL,
            mig_version VARCHAR(32) NOT NULL,
            success BOOLEAN NOT NULL,
            error TEXT,
            reason TEXT,
            progress VARCHAR(16),
            statements_done BIGINT,
            statements_total BIGINT,
            statement_line BIGINT,
            version_rows TEXT
        )
        ");
}

#[test]
fn user_names_come_from_passwd() {
    let passwd = "root:x:0:0:root:/root:/bin/bash\n# comment\nci:x:1001:1001::/home/ci:/bin/sh\n";
    assert_eq!(user_name(passwd, 1001).as_deref(), Some("ci"));
    assert_eq!(user_name(passwd, 0).as_deref(), Some("root"));
    assert_eq!(user_name(passwd, 7), None);
}

#[test]
fn operator_is_user_at_host() {
    let operator = operator();
    let (user, host) = operator.split_once('@').unwrap();
    assert!(!user.is_empty() && !host.is_empty(), "{operator}");
}
