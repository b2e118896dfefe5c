//! Integration tests: one binary, real PostgreSQL and SQLite, no mocks.

mod support;

mod baseline;
mod cases;
mod catalog_pg;
mod catalog_queries;
mod catalog_sqlite;
mod cli;
mod cli_online;
mod compat;
mod connect;
mod diagnose;
mod drift;
mod drift_fingerprint;
mod error_location;
mod lock;
mod provision;
mod runbook;
mod runbook_failures;
mod runbook_keeps;
mod watchdog;

mod online;
mod online_concurrency;
mod online_failure;
mod online_history;
mod online_support;

mod roundtrip;
mod roundtrip_cleanup;
mod roundtrip_continue;
mod roundtrip_demo;
mod roundtrip_labels;
mod roundtrip_library;
mod roundtrip_snapshot;
mod roundtrip_sqlite;
mod roundtrip_sqlite_meaning;
mod roundtrip_support;
mod roundtrip_walks;
