//! Typed readings of configuration strings: ConfigParser booleans, durations, Alembic's
//! path lists, paths relative to a base. Pure functions; errors are left to the caller,
//! which knows the key and where the value came from.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a boolean key accepts, for error messages.
pub(crate) const BOOLEAN: &str = "a boolean (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`)";

/// What a duration key accepts, for error messages.
pub(crate) const DURATION: &str = "a duration such as `60s`, `500ms`, `2m` or `60` (seconds)";

/// Reads a boolean like `ConfigParser.getboolean` (case-insensitive).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Some(true),
        "0" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// Reads `500ms`, `60s`, `2m`, `1h` or plain (possibly fractional) seconds.
pub(crate) fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(number_end);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" => number,
        "ms" => number / 1000.0,
        "m" | "min" | "mins" => number * 60.0,
        "h" => number * 3600.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// Alembic's `path_separator` (or legacy `version_path_separator`) setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathSeparator {
    /// A separator character (`os` is `:` on Unix, `;` on Windows).
    Char(char),
    /// No setting: Alembic's legacy split on commas and spaces (mig also splits on
    /// newlines, where Alembic would keep a path containing a newline).
    Legacy,
}

/// What `path_separator` accepts, for error messages.
pub(crate) const PATH_SEPARATOR: &str = "one of `os`, `:`, `;`, `space`, `newline`";

impl PathSeparator {
    /// Reads a `path_separator` value exactly as Alembic does (case-sensitive).
    pub(crate) fn parse(value: &str) -> Option<PathSeparator> {
        let c = match value {
            "space" => ' ',
            "newline" => '\n',
            "os" if cfg!(windows) => ';',
            "os" | ":" => ':',
            ";" => ';',
            _ => return None,
        };
        Some(PathSeparator::Char(c))
    }

    /// Splits a list of paths; empty entries are dropped.
    pub(crate) fn split(self, value: &str) -> Vec<String> {
        let parts: Vec<&str> = match self {
            PathSeparator::Char(c) => value.split(c).collect(),
            PathSeparator::Legacy => value
                .split(|c: char| c == ',' || c.is_whitespace())
                .collect(),
        };
        parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// `path` made absolute against `base` (when relative), with `.` components and
/// repeated separators removed; `..` is kept, as Python's `Path.absolute()` does.
pub(crate) fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    joined.components().collect()
}

/// Splits a list written one per line or comma-separated; empty entries are dropped.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value
        .split(['\n', ','])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
