//! The version table's statements exactly as Alembic renders them (values inlined as
//! literals): `CREATE TABLE`, `INSERT`, `UPDATE`, `DELETE`, and `DELETE FROM` for purge.
//! Text without the trailing `;`; callers decide how to terminate or run them.

use crate::config::VersionTable;
use crate::revision::plan::VersionOp;

use super::Dialect;

/// Renders the statements on one configured version table for one dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSql {
    dialect: Dialect,
    /// `schema.table`, each part quoted as needed.
    table: String,
    /// `<version_table>_pkc`, quoted as needed; `None` when `version_table_pk = false`.
    pk_name: Option<String>,
}

impl VersionSql {
    /// Statements for `table` (its name, schema and PK setting) on `dialect`.
    pub fn new(dialect: Dialect, table: &VersionTable) -> VersionSql {
        VersionSql {
            dialect,
            table: dialect.qualified_name(table.schema.as_deref(), &table.table),
            pk_name: table.pk.then(|| {
                dialect
                    .quote_identifier(&format!("{}_pkc", table.table))
                    .into_owned()
            }),
        }
    }

    /// The qualified, quoted table name as it appears in the statements.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// `CREATE TABLE`, laid out as SQLAlchemy's DDL compiler does after Alembic turns its
    /// tabs into four spaces (hence the space after `NOT NULL,`).
    pub fn create_table(&self) -> String {
        match &self.pk_name {
            Some(pk) => format!(
                "CREATE TABLE {} (\n    version_num VARCHAR(32) NOT NULL, \n    \
                 CONSTRAINT {pk} PRIMARY KEY (version_num)\n)",
                self.table
            ),
            None => format!(
                "CREATE TABLE {} (\n    version_num VARCHAR(32) NOT NULL\n)",
                self.table
            ),
        }
    }

    /// `INSERT ... VALUES (...)`, with the `RETURNING` clause SQLAlchemy adds for the
    /// primary key: qualified on PostgreSQL, bare on SQLite, none on MySQL or without PK.
    pub fn insert(&self, version: &str) -> String {
        let returning = match (self.dialect, self.pk_name.is_some()) {
            (Dialect::Postgresql, true) => format!(" RETURNING {}.version_num", self.table),
            (Dialect::Sqlite, true) => " RETURNING version_num".to_string(),
            _ => String::new(),
        };
        format!(
            "INSERT INTO {} (version_num) VALUES ({}){returning}",
            self.table,
            self.dialect.string_literal(version)
        )
    }

    /// `UPDATE ... SET version_num='to' WHERE <table>.version_num = 'from'`.
    pub fn update(&self, from: &str, to: &str) -> String {
        format!(
            "UPDATE {table} SET version_num={to} WHERE {table}.version_num = {from}",
            table = self.table,
            to = self.dialect.string_literal(to),
            from = self.dialect.string_literal(from),
        )
    }

    /// `DELETE FROM ... WHERE <table>.version_num = 'version'`.
    pub fn delete(&self, version: &str) -> String {
        format!(
            "DELETE FROM {table} WHERE {table}.version_num = {version}",
            table = self.table,
            version = self.dialect.string_literal(version),
        )
    }

    /// `DELETE FROM <table>` (`stamp --purge`).
    pub fn delete_all(&self) -> String {
        format!("DELETE FROM {}", self.table)
    }

    /// The statement for one plan write.
    pub fn op(&self, op: &VersionOp) -> String {
        match op {
            VersionOp::Insert { version } => self.insert(version),
            VersionOp::Update { from, to } => self.update(from, to),
            VersionOp::Delete { version } => self.delete(version),
            VersionOp::DeleteAll => self.delete_all(),
        }
    }
}

#[cfg(test)]
mod tests {
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
}
