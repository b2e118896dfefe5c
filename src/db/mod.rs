//! Live databases: connect, lock, version table, history table (the only sqlx users, with catalog).
