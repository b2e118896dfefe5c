//! Integration tests: one binary, real PostgreSQL and SQLite.
