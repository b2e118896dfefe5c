//! Integration tests: one binary, real PostgreSQL and SQLite.
mod catalog_pg;
mod catalog_queries;
mod catalog_sqlite;
