//! Password redaction; pure functions, and the one place that decides what `***` hides.
//!
//! - [`redact_url`]: a URL's text with its password masked: how a [`super::DatabaseUrl`]
//!   shows itself, and how a URL that does not parse is shown in its error.
//! - [`redact`]: free text that comes from elsewhere (a driver's, a server's or a
//!   tool's message, which may echo a connection string, a rendered report): the one
//!   scrubber of free text, called where such text becomes mig's (a connection error,
//!   a failed revision, a failed `pg_dump`, a runbook).

use super::encode::{encode_component, encode_with};

/// The text that hides a secret.
const MASK: &str = "***";

/// `text` with every known secret masked, raw or percent-encoded (upper- or lower-case
/// hex, `+` for spaces), and with the password of every URL-looking substring
/// (`scheme://user:password@...`) and every `password=` value masked too (secrets mig
/// does not know). Empty secrets are ignored.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    mask_secrets(&mask_urls(text), secrets)
}

/// Replaces every occurrence of each secret in `text`, raw or percent-encoded, with `***`.
fn mask_secrets(text: &str, secrets: &[&str]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let encoded = encode_component(secret);
        let plus = encode_with(secret, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b' ')
        })
        .replace(' ', "+");
        let sqlalchemy = encode_with(secret, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b' ' | b'+')
        });
        forms.push(lower_hex(&encoded));
        forms.push(encoded);
        forms.push(plus);
        forms.push(sqlalchemy);
        forms.push(secret.to_string());
    }
    // Longest first, so that an encoded form is masked whole before the raw secret
    // could split it.
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    let mut out = text.to_string();
    for form in &forms {
        out = out.replace(form.as_str(), MASK);
    }
    out
}

/// Replaces the password of every URL-looking substring of `text` (`scheme://user:password@...`)
/// and every `password=` parameter value with `***`. URLs end at whitespace.
fn mask_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|t| t.find("://")) {
        let sep = pos + found;
        let start = text[pos..sep]
            .char_indices()
            .rev()
            .find(|(_, c)| !is_scheme_char(*c))
            .map_or(pos, |(i, c)| pos + i + c.len_utf8());
        let end = text[sep..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| sep + i);
        out.push_str(&text[pos..start]);
        out.push_str(&redact_url(&text[start..end]));
        pos = end;
    }
    out.push_str(&text[pos..]);
    mask_password_params(&out)
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | '_')
}

/// Redacts one URL-ish string: the password in its userinfo, a "port" that is not a
/// number in a URL without userinfo (likely a password when `@host` was forgotten;
/// after an `@` a bad port is just a bad port and is shown), and `password=` values.
/// Strings without `://` are treated as starting at the authority.
pub(crate) fn redact_url(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let mut out = String::from(&url[..authority_start]);
    let userinfo = userinfo_end(rest);
    let mut password = None;
    let tail = match userinfo {
        Some(at) => {
            let info = &rest[..at];
            match info.split_once(':') {
                Some((user, secret)) => {
                    password = Some(secret).filter(|s| !s.is_empty());
                    out.push_str(user);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(info),
            }
            out.push('@');
            &rest[at + 1..]
        }
        None => rest,
    };
    let hostport_end = tail.find(['/', '?']).unwrap_or(tail.len());
    let hostport = &tail[..hostport_end];
    match hostport.split_once(':') {
        Some((host, port))
            if !hostport.starts_with('[')
                && !is_port_like(port)
                && (userinfo.is_none() || password.is_some_and(|p| port.contains(p))) =>
        {
            out.push_str(host);
            out.push(':');
            out.push_str(MASK);
        }
        _ => out.push_str(hostport),
    }
    out.push_str(&tail[hostport_end..]);
    mask_password_params(&out)
}

/// Where the userinfo of `rest` (the text after `://`) ends: the last `@` before the
/// first `?`, else the last `@` at all (a password may contain `?`). `None` when there
/// is no `@`, or when the user part would contain `/` (as in `sqlite:////tmp/a@b.db`).
pub(super) fn userinfo_end(rest: &str) -> Option<usize> {
    let before_query = rest.find('?').map_or(rest, |q| &rest[..q]);
    let at = before_query.rfind('@').or_else(|| rest.rfind('@'))?;
    let user_part = rest[..at].split(':').next().unwrap_or_default();
    (!user_part.contains('/')).then_some(at)
}

/// A port as it may appear in running text: digits, maybe followed by closing
/// punctuation (`host:5432'`, `` host:5432` ``).
fn is_port_like(port: &str) -> bool {
    port.trim_end_matches(['\'', '"', '`', ')', ']', '>', ',', ';', '.'])
        .bytes()
        .all(|b| b.is_ascii_digit())
}

/// Masks the value of every `password=` (any case) up to `&`, `;`, whitespace or a quote.
fn mask_password_params(text: &str) -> String {
    const KEY: &str = "password=";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(found) = lower.get(pos..).and_then(|t| t.find(KEY)) {
        let value_start = pos + found + KEY.len();
        let value_end = text[value_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '\'' | '"' | '`'))
            .map_or(text.len(), |i| value_start + i);
        out.push_str(&text[pos..value_start]);
        if value_end > value_start {
            out.push_str(MASK);
        }
        pos = value_end;
    }
    out.push_str(&text[pos..]);
    out
}

fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
