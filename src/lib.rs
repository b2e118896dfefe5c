//! `mig`: an Alembic-compatible migration engine with a roundtrip verifier.
//!
//! The pipeline: [`config`] reads `alembic.ini` into a resolved configuration;
//! [`revision`] parses the SQL revision files and builds Alembic's revision graph, from
//! which a [`revision::plan::Plan`] is computed; [`execute`] walks the plan into a sink,
//! either a live database or offline `--sql` text rendered per [`dialect`]; [`engine`]
//! holds the online commands (connect, lock, read the heads, plan, execute).

pub mod backup;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod dialect;
pub mod diff;
pub mod drift;
pub mod engine;
pub mod execute;
pub mod guard;
pub mod import;
pub mod json;
pub mod naming;
pub mod provision;
pub mod replay;
pub mod reset;
pub mod revision;
pub mod roundtrip;
pub mod runbook;
pub mod seed;
pub mod sql;
pub mod url;
