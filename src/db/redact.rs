//! Keeping passwords out of database messages: find the password in a connection URL and
//! scrub it from any text (a server's message, an I/O error) before that text is shown.
//! A thin adapter over [`crate::url`], which decides what `***` hides; nothing here
//! parses more of a URL than it needs.

/// `url` with its password replaced by `***` (see [`crate::url`]).
pub fn redact_url(url: &str) -> String {
    crate::url::redact_url(url)
}

/// The mask that replaces a password.
pub const MASK: &str = "***";

/// The password of `url` as written (possibly percent-encoded), if it has one: the part
/// after the first `:` of the user info, or a `password=` query parameter.
pub fn url_password(url: &str) -> Option<&str> {
    userinfo_password(url).or_else(|| query_password(url))
}

/// `text` with every occurrence of `password` (as written, percent-decoded, and in every
/// encoding [`crate::url::redact`] knows) replaced by `***`. An empty or absent password
/// leaves the text unchanged.
pub fn redact(text: &str, password: Option<&str>) -> String {
    let Some(password) = password.filter(|password| !password.is_empty()) else {
        return text.to_string();
    };
    let decoded = percent_decode(password);
    crate::url::redact(text, &[password, &decoded])
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The user-info password: between the first `:` after `://` and the `@` that ends the
/// user info (as [`crate::url`] finds it).
fn userinfo_password(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let rest = url.get(start..)?;
    let at = crate::url::userinfo_end(rest)?;
    let info = rest.get(..at)?;
    let colon = info.find(':')?;
    info.get(colon + 1..)
}

fn query_password(url: &str) -> Option<&str> {
    let query = url.get(url.find('?')? + 1..)?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("password="))
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests;
