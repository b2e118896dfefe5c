use super::*;

const PG: Dialect = Dialect::Postgresql;

#[test]
fn version_table_statements_and_transactions_are_dropped() {
    let sql = "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    \
                   CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n\
                   -- Running upgrade  -> a\n\nCREATE TABLE t (id int);\n\n\
                   INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING alembic_version.version_num;\n\n\
                   -- Running upgrade a -> b\n\nSELECT 1;\n\n\
                   UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';\n\nCOMMIT;\n\n";
    assert_eq!(
        normalise(sql, PG, "alembic_version", &[]),
        vec![
            "-- Running upgrade  -> a",
            "CREATE TABLE t (id int)",
            "-- Running upgrade a -> b",
            "SELECT 1"
        ]
    );
    assert_eq!(
        normalise(sql, PG, "alembic_version", &["b".into()]),
        vec![
            "-- Running upgrade  -> a",
            "CREATE TABLE t (id int)",
            "-- Running upgrade a -> b"
        ]
    );
}

#[test]
fn statements_compare_whatever_their_chunks() {
    let alembic = "-- Running upgrade  -> a\n\nUPDATE t SET x = 1; UPDATE t SET y = '\n\n';\n\n";
    let mig = "-- Running upgrade  -> a\n\nUPDATE t SET x = 1;\n\nUPDATE t SET y = '\n\n';\n\n";
    let a = normalise(alembic, PG, "alembic_version", &[]);
    assert_eq!(a, normalise(mig, PG, "alembic_version", &[]));
    assert_eq!(a.len(), 3);
    let other = "-- Running upgrade  -> a\n\nUPDATE t SET x = 2;\n\n";
    assert_ne!(a, normalise(other, PG, "alembic_version", &[]));
}

#[test]
fn differences_name_the_first_entry() {
    let a = lines("x\ny\n");
    assert_eq!(first_difference(&a, &a), None);
    assert_eq!(
        first_difference(&a, &lines("x\nz")).as_deref(),
        Some("entry 2: Alembic has `y`, mig has `z`")
    );
    assert_eq!(
        first_difference(&a, &lines("x")).as_deref(),
        Some("entry 2: Alembic has `y`, mig has (nothing)")
    );
}
