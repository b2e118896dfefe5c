//! Protection (SPEC section 15): the `mig_environment` marker beside the version table,
//! the environment signals that say "production", and the confirmation rules destructive
//! commands (reset, restore) go through: `--confirm <database name>`, `--yes`, or the
//! name typed on a terminal followed by a countdown. Nothing here destroys anything.

/// The protection marker's table.
pub const ENVIRONMENT_TABLE: &str = "mig_environment";
