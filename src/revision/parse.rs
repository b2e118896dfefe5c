//! revision/parse
