//! The version table's statements exactly as Alembic renders them (values inlined as
//! literals): `CREATE TABLE`, `INSERT`, `UPDATE`, `DELETE`, and `DELETE FROM` for purge.
//! Text without the trailing `;`; callers decide how to terminate or run them.

use crate::config::VersionTable;
use crate::revision::plan::VersionOp;

use crate::dialect::Dialect;

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
mod tests;
