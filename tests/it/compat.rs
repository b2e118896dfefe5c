//! Compatibility with real Alembic: the same revisions written as a mig project (SQL
//! files) and as an Alembic project (`op.execute` per statement), run through both tools,
//! outputs compared byte for byte.

pub mod alembic;
pub mod project;

mod offline;
mod online_sqlite;
