//! Integration tests: one binary, real PostgreSQL and SQLite, no mocks.

mod support;

mod cases;
mod catalog_pg;
mod catalog_queries;
mod catalog_sqlite;
mod cli;
mod cli_fidelity;
mod cli_online;
mod compat;
mod connect;
mod diagnose;
mod error_location;
mod fuzz;
mod import_alembic;
mod injection;
mod killed_client;
mod lock;
mod mysql;
mod mysql_alembic;
mod mysql_interrupted;
mod pooler;
mod provision;
mod runbook;
mod runbook_failures;
mod runbook_keeps;
mod signals;
mod status;
mod watchdog;

mod online;
mod online_concurrency;
mod online_failure;
mod online_history;
mod online_interrupted;
mod online_support;

mod roundtrip;
mod roundtrip_cleanup;
mod roundtrip_demo;
mod roundtrip_labels;
mod roundtrip_library;
mod roundtrip_snapshot;
mod roundtrip_sqlite;
mod roundtrip_sqlite_meaning;
mod roundtrip_support;
mod roundtrip_walks;
