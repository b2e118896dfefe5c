//! The checksum of a revision section, recorded in the history table and compared by the
//! drift check: hex SHA-256 of the section normalised so that line endings and trailing
//! whitespace do not count. Pure.
//!
//! Private stand-in for `crate::revision::parse::checksum` (being written on the `parse`
//! branch) with the same normalisation, so the two agree on every section: each line's
//! trailing whitespace (including a CR) is dropped, leading and trailing blank lines are
//! dropped, lines are joined with LF.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::revision::Section;

/// Hex SHA-256 of the normalised text of `section`.
pub(crate) fn section_checksum(section: &Section) -> String {
    let lines: Vec<&str> = section.sql.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.is_empty());
    let last = lines.iter().rposition(|line| !line.is_empty());
    let kept = match (first, last) {
        (Some(first), Some(last)) => lines.get(first..=last).unwrap_or_default(),
        _ => &[],
    };
    let digest = Sha256::digest(kept.join("\n").as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(sql: &str) -> Section {
        Section {
            sql: sql.into(),
            line: 1,
        }
    }

    #[test]
    fn line_endings_and_trailing_whitespace_do_not_count() {
        let plain = section_checksum(&section("CREATE TABLE a (id int);\nDROP TABLE b;"));
        assert_eq!(
            plain,
            section_checksum(&section(
                "\n\nCREATE TABLE a (id int);  \r\nDROP TABLE b;\t\n\n"
            ))
        );
        assert_ne!(
            plain,
            section_checksum(&section("CREATE TABLE a (id bigint);\nDROP TABLE b;"))
        );
        assert_ne!(
            plain,
            section_checksum(&section("  CREATE TABLE a (id int);\nDROP TABLE b;"))
        );
    }

    #[test]
    fn empty_section_is_the_digest_of_nothing() {
        assert_eq!(
            section_checksum(&section(" \n\n")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
