//! revision/graph
