use super::*;

fn table(name: &str, schema: Option<&str>, pk: bool) -> VersionTable {
    VersionTable {
        table: name.into(),
        schema: schema.map(Into::into),
        pk,
    }
}

// Expected texts below are copied from `alembic ... --sql` output (Alembic 1.20.1);
// the whole-file comparisons live in `execute::tests`.
#[test]
fn default_table_on_postgresql() {
    let sql = VersionSql::new(Dialect::Postgresql, &VersionTable::default());
    assert_eq!(
        sql.create_table(),
        "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    \
             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"
    );
    assert_eq!(
        sql.insert("aaa111"),
        "INSERT INTO alembic_version (version_num) VALUES ('aaa111') \
             RETURNING alembic_version.version_num"
    );
    assert_eq!(
        sql.update("aaa111", "bbb222"),
        "UPDATE alembic_version SET version_num='bbb222' \
             WHERE alembic_version.version_num = 'aaa111'"
    );
    assert_eq!(
        sql.delete("aaa111"),
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'aaa111'"
    );
    assert_eq!(sql.delete_all(), "DELETE FROM alembic_version");
}

#[test]
fn returning_per_dialect() {
    let t = VersionTable::default();
    assert_eq!(
        VersionSql::new(Dialect::Sqlite, &t).insert("a"),
        "INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING version_num"
    );
    assert_eq!(
        VersionSql::new(Dialect::Mysql, &t).insert("a"),
        "INSERT INTO alembic_version (version_num) VALUES ('a')"
    );
}

#[test]
fn schema_and_name_qualify_every_statement() {
    let sql = VersionSql::new(
        Dialect::Postgresql,
        &table("my_ver", Some("myschema"), true),
    );
    assert!(sql
        .create_table()
        .starts_with("CREATE TABLE myschema.my_ver (\n"));
    assert!(sql
        .create_table()
        .contains("CONSTRAINT my_ver_pkc PRIMARY KEY"));
    assert_eq!(
        sql.insert("a"),
        "INSERT INTO myschema.my_ver (version_num) VALUES ('a') \
             RETURNING myschema.my_ver.version_num"
    );
    assert_eq!(
        sql.update("a", "b"),
        "UPDATE myschema.my_ver SET version_num='b' WHERE myschema.my_ver.version_num = 'a'"
    );
}

#[test]
fn no_pk_means_no_constraint_and_no_returning() {
    let sql = VersionSql::new(Dialect::Postgresql, &table("alembic_version", None, false));
    assert_eq!(
        sql.create_table(),
        "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL\n)"
    );
    assert_eq!(
        sql.insert("a"),
        "INSERT INTO alembic_version (version_num) VALUES ('a')"
    );
}

#[test]
fn names_needing_quotes_are_quoted_including_the_pk() {
    let sql = VersionSql::new(Dialect::Mysql, &table("Ver", Some("order"), true));
    assert_eq!(
        sql.create_table(),
        "CREATE TABLE `order`.`Ver` (\n    version_num VARCHAR(32) NOT NULL, \n    \
             CONSTRAINT `Ver_pkc` PRIMARY KEY (version_num)\n)"
    );
}

#[test]
fn literal_values_are_escaped() {
    let sql = VersionSql::new(Dialect::Postgresql, &VersionTable::default());
    assert_eq!(
        sql.op(&VersionOp::Delete {
            version: "it's".into()
        }),
        "DELETE FROM alembic_version WHERE alembic_version.version_num = 'it''s'"
    );
}
