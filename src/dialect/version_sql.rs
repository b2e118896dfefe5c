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
        self.op(&VersionOp::Insert {
            version: version.to_owned(),
        })
    }

    /// `UPDATE ... SET version_num='to' WHERE <table>.version_num = 'from'`.
    pub fn update(&self, from: &str, to: &str) -> String {
        self.op(&VersionOp::Update {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    /// `DELETE FROM ... WHERE <table>.version_num = 'version'`.
    pub fn delete(&self, version: &str) -> String {
        self.op(&VersionOp::Delete {
            version: version.to_owned(),
        })
    }

    /// `DELETE FROM <table>` (`stamp --purge`).
    pub fn delete_all(&self) -> String {
        self.op(&VersionOp::DeleteAll)
    }

    /// The statement for one plan write.
    pub fn op(&self, op: &VersionOp) -> String {
        let mut out = String::new();
        self.write_op(op, &mut out);
        out
    }

    /// [`op`](Self::op), appended to `out`: the executor renders one write per step and
    /// reuses one buffer for all of them.
    pub fn write_op(&self, op: &VersionOp, out: &mut String) {
        let literal = |out: &mut String, value: &str| self.dialect.push_string_literal(out, value);
        let table = self.table.as_str();
        match op {
            VersionOp::Insert { version } => {
                out.push_str("INSERT INTO ");
                out.push_str(table);
                out.push_str(" (version_num) VALUES (");
                literal(out, version);
                out.push(')');
                match (self.dialect, self.pk_name.is_some()) {
                    (Dialect::Postgresql, true) => {
                        out.push_str(" RETURNING ");
                        out.push_str(table);
                        out.push_str(".version_num");
                    }
                    (Dialect::Sqlite, true) => out.push_str(" RETURNING version_num"),
                    _ => {}
                }
            }
            VersionOp::Update { from, to } => {
                out.push_str("UPDATE ");
                out.push_str(table);
                out.push_str(" SET version_num=");
                literal(out, to);
                out.push_str(" WHERE ");
                out.push_str(table);
                out.push_str(".version_num = ");
                literal(out, from);
            }
            VersionOp::Delete { version } => {
                out.push_str("DELETE FROM ");
                out.push_str(table);
                out.push_str(" WHERE ");
                out.push_str(table);
                out.push_str(".version_num = ");
                literal(out, version);
            }
            VersionOp::DeleteAll => {
                out.push_str("DELETE FROM ");
                out.push_str(table);
            }
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
