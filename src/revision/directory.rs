//! revision/directory
