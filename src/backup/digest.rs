//! A table's data digest: its rows as text lines (PostgreSQL's `COPY` text format,
//! SQLite's `quote()` of each column), sorted, joined with `\n`, SHA-256 in hex. Sorting
//! makes it independent of row order, so the live table and the backup's copy of it
//! give the same digest. Pure.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// Collects row lines, possibly from chunks that split lines anywhere.
#[derive(Debug, Default)]
pub struct RowDigest {
    lines: Vec<Vec<u8>>,
    partial: Vec<u8>,
}

impl RowDigest {
    /// Adds a chunk of `\n`-terminated lines (a line may continue in the next chunk).
    pub fn feed(&mut self, chunk: &[u8]) {
        for &byte in chunk {
            if byte == b'\n' {
                self.lines.push(std::mem::take(&mut self.partial));
            } else {
                self.partial.push(byte);
            }
        }
    }

    /// Adds one whole row line.
    pub fn line(&mut self, line: &[u8]) {
        self.lines.push(line.to_vec());
    }

    /// Row count and hex SHA-256.
    pub fn finish(mut self) -> (u64, String) {
        if !self.partial.is_empty() {
            self.lines.push(std::mem::take(&mut self.partial));
        }
        self.lines.sort_unstable();
        let mut hasher = Sha256::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                hasher.update(b"\n");
            }
            hasher.update(line);
        }
        let mut hex = String::with_capacity(64);
        for byte in hasher.finalize() {
            let _ = write!(hex, "{byte:02x}");
        }
        (self.lines.len() as u64, hex)
    }
}

#[cfg(test)]
mod tests;
