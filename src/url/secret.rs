//! A secret (a database password) that cannot be printed by accident: `Debug` shows
//! `***`, there is no `Display`, and the value is reachable only through
//! [`Secret::expose`], which the connectors call (and the one free-text scrubber,
//! [`super::redact`], to know what to mask).

use std::fmt;

/// A password. `Debug` prints `***`; use [`Secret::expose`] to hand it to a driver.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself: for a driver's connect options, `PGPASSWORD` of a client tool
    /// or the scrubber's list of what to mask. Never print it, log it or put it in an
    /// error.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests;
