//! Integration tests: one binary, real PostgreSQL and SQLite, no mocks.

mod support;

mod cli;
mod compat;
mod connect;
mod diagnose;
mod lock;
mod provision;
mod watchdog;
