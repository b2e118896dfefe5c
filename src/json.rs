//! JSON output: every `--format json` report and every JSON file mig writes is
//! pretty-printed with a trailing newline ([`pretty`]), and durations are whole
//! milliseconds ([`millis`]). Pure.

use std::time::Duration;

use serde::{Serialize, Serializer};

/// `value` as pretty JSON with a trailing newline. The reports are strings, numbers,
/// lists and maps with string keys, which cannot fail to serialise; if one ever did, the
/// output says so as JSON instead of being empty.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut json = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
    json.push('\n');
    json
}

/// Serialises a duration as whole milliseconds (`serialize_with = "crate::json::millis"`).
pub fn millis<S: Serializer>(duration: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}
