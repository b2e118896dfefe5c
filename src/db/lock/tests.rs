use super::*;

#[test]
fn key_is_stable_and_distinguishes_tables() {
    let key = LockKey::new("app", None, "alembic_version");
    assert_eq!(key.as_str(), "mig:app::alembic_version");
    assert_eq!(
        key.advisory_id(),
        LockKey::new("app", None, "alembic_version").advisory_id()
    );
    assert_ne!(
        key.advisory_id(),
        LockKey::new("app", Some("admin"), "alembic_version").advisory_id()
    );
    assert_ne!(
        key.advisory_id(),
        LockKey::new("other", None, "alembic_version").advisory_id()
    );
    assert_eq!(key.mysql_name().len(), 20);
}

#[test]
fn timeout_message_names_the_holder() {
    let err = LockTimeout {
        lock: "the migration lock `mig:app::alembic_version` (advisory lock 42)".into(),
        waited: Duration::from_millis(1500),
        holder: Some(LockHolder {
            pid: 4711,
            application_name: Some("mig".into()),
            user: Some("deploy".into()),
            client: Some("local socket".into()),
            since: Some("2025-10-18T09:00:00Z".into()),
        }),
    };
    insta::assert_snapshot!(err.to_string(), @"timed out after 1.5s waiting for the migration lock `mig:app::alembic_version` (advisory lock 42): held by pid 4711 (application_name `mig`, user `deploy`, client local socket, connected since 2025-10-18T09:00:00Z); stop that session or raise `lock_timeout`");
}

#[test]
fn unknown_holder_and_whole_seconds() {
    let err = LockTimeout {
        lock: "the write lock of the SQLite database".into(),
        waited: Duration::from_secs(60),
        holder: None,
    };
    insta::assert_snapshot!(err.to_string(), @"timed out after 60s waiting for the write lock of the SQLite database: held by another session, which could not be identified; stop that session or raise `lock_timeout`");
}
