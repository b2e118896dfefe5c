//! The SQL statement splitter.
