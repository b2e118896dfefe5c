//! Percent-encoding and query-string helpers for database URLs. Pure functions.

/// Percent-decodes `text`; invalid UTF-8 is replaced, as Python's `unquote` does.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex_value(*hi).zip(hex_value(*lo)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.extend_from_slice(bytes.get(i..i + 1).unwrap_or_default());
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Encodes every byte that `keep` rejects as `%XX` (upper-case hex).
pub(crate) fn encode_with(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Encodes a user, password, host or database name: only unreserved bytes stay.
pub(crate) fn encode_component(text: &str) -> String {
    encode_with(text, is_unreserved)
}

/// Encodes a file path: unreserved bytes, `/` and `:` stay.
pub(crate) fn encode_path(text: &str) -> String {
    encode_with(text, |b| is_unreserved(b) || b == b'/' || b == b':')
}

/// Encodes a query key or value: unreserved bytes and `/` stay.
pub(crate) fn encode_query(text: &str) -> String {
    encode_with(text, |b| is_unreserved(b) || b == b'/')
}

/// Splits a query string like Python's `parse_qsl` (as SQLAlchemy calls it): pairs
/// separated by `&`, `+` is a space, pairs without a value are dropped.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let value = percent_decode(&value.replace('+', " "));
            (!value.is_empty()).then(|| (percent_decode(&key.replace('+', " ")), value))
        })
        .collect()
}

#[cfg(test)]
mod tests;
