//! Names for new revisions: Alembic's message slug, `file_template` rendering (a subset
//! of Python `%`-formatting with Alembic's tokens) and revision id generators. Pure apart
//! from the clock and process id fed to the hex generator.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use sha2::{Digest, Sha256};

/// Alembic's default `file_template`.
pub const DEFAULT_FILE_TEMPLATE: &str = "%(rev)s_%(slug)s";

/// Alembic's default `truncate_slug_length`.
pub const DEFAULT_TRUNCATE_SLUG_LENGTH: usize = 40;

/// A `file_template` that cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`file_template` `{template}`: {problem}")]
pub struct FileTemplateError {
    pub template: String,
    pub problem: String,
}

/// Alembic's slug: the message's runs of word characters (letters, digits, `_`) joined
/// with `_` and lower-cased; when longer than `truncate_slug_length` characters, cut
/// there, back to the last `_`, and ended with `_`. A length of 0 means the default 40,
/// as in Alembic.
pub fn slug(message: &str, truncate_slug_length: usize) -> String {
    let limit = match truncate_slug_length {
        0 => DEFAULT_TRUNCATE_SLUG_LENGTH,
        n => n,
    };
    let words: Vec<&str> = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .collect();
    let slug = words.join("_").to_lowercase();
    if slug.chars().count() <= limit {
        return slug;
    }
    let cut: String = slug.chars().take(limit).collect();
    let kept = cut.rsplit_once('_').map_or(cut.as_str(), |(head, _)| head);
    format!("{kept}_")
}

/// The values a `file_template` may use.
pub struct FileTokens<'a> {
    pub rev: &'a str,
    pub slug: &'a str,
    pub create_date: DateTime<FixedOffset>,
}

enum Value<'a> {
    Text(&'a str),
    Number(i64),
}

impl FileTokens<'_> {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        let date = &self.create_date;
        Some(match name {
            "rev" => Value::Text(self.rev),
            "slug" => Value::Text(self.slug),
            "epoch" => Value::Number(date.timestamp()),
            "year" => Value::Number(i64::from(date.year())),
            "month" => Value::Number(i64::from(date.month())),
            "day" => Value::Number(i64::from(date.day())),
            "hour" => Value::Number(i64::from(date.hour())),
            "minute" => Value::Number(i64::from(date.minute())),
            "second" => Value::Number(i64::from(date.second())),
            _ => return None,
        })
    }
}

/// Renders a `file_template` (already past ini interpolation, so `%(rev)s`, not
/// `%%(rev)s`) the way Python's `template % tokens` does, for the conversions `s`, `r`,
/// `d`, `i`, `u` with flags `-0+ `, width and precision: `%(year)d_%(month).2d`.
pub fn render_file_template(
    template: &str,
    tokens: &FileTokens,
) -> Result<String, FileTemplateError> {
    let fail = |problem: String| FileTemplateError {
        template: template.to_string(),
        problem,
    };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(percent) = rest.find('%') {
        out.push_str(rest.get(..percent).unwrap_or_default());
        rest = rest.get(percent + 1..).unwrap_or_default();
        if let Some(after) = rest.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let Some(after_paren) = rest.strip_prefix('(') else {
            return Err(fail(
                "every `%` needs a token name, like `%(rev)s` (or `%%` for `%`)".into(),
            ));
        };
        let Some((name, after_name)) = after_paren.split_once(')') else {
            return Err(fail("unclosed `%(`".into()));
        };
        let value = tokens.get(name).ok_or_else(|| {
            fail(format!(
                "unknown token `{name}`; tokens are rev, slug, epoch, year, month, day, hour, minute, second"
            ))
        })?;
        let (spec, after_spec) = conversion(after_name)
            .ok_or_else(|| fail(format!("incomplete format after `%({name})`")))?;
        out.push_str(
            &spec
                .apply(&value)
                .map_err(|problem| fail(format!("`%({name})`: {problem}")))?,
        );
        rest = after_spec;
    }
    out.push_str(rest);
    Ok(out)
}

/// A parsed conversion specifier: `[flags][width][.precision][length]type`.
struct Spec {
    left: bool,
    zero: bool,
    sign: Option<char>,
    width: usize,
    precision: Option<usize>,
    kind: char,
}

fn conversion(text: &str) -> Option<(Spec, &str)> {
    let mut spec = Spec {
        left: false,
        zero: false,
        sign: None,
        width: 0,
        precision: None,
        kind: 's',
    };
    let mut chars = text.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        match c {
            '-' => spec.left = true,
            '0' => spec.zero = true,
            '+' => spec.sign = Some('+'),
            ' ' => spec.sign = spec.sign.or(Some(' ')),
            '#' => {}
            _ => break,
        }
        chars.next();
    }
    let number = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
        let mut value: Option<usize> = None;
        while let Some(digit) = chars.peek().and_then(|&(_, c)| c.to_digit(10)) {
            value = Some(
                value
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(digit as usize),
            );
            chars.next();
        }
        value
    };
    spec.width = number(&mut chars).unwrap_or(0);
    if chars.peek().is_some_and(|&(_, c)| c == '.') {
        chars.next();
        spec.precision = Some(number(&mut chars).unwrap_or(0));
    }
    while chars
        .peek()
        .is_some_and(|&(_, c)| matches!(c, 'h' | 'l' | 'L'))
    {
        chars.next();
    }
    let (offset, kind) = chars.next()?;
    spec.kind = kind;
    Some((
        spec,
        text.get(offset + kind.len_utf8()..).unwrap_or_default(),
    ))
}

impl Spec {
    fn apply(&self, value: &Value) -> Result<String, String> {
        let body = match (self.kind, value) {
            ('s', Value::Text(text)) => truncate(text, self.precision),
            ('s', Value::Number(n)) => truncate(&n.to_string(), self.precision),
            ('r', Value::Text(text)) => truncate(&format!("'{text}'"), self.precision),
            ('r', Value::Number(n)) => truncate(&n.to_string(), self.precision),
            ('d' | 'i' | 'u', Value::Number(n)) => return Ok(self.integer(*n)),
            ('d' | 'i' | 'u', Value::Text(_)) => {
                return Err(format!("%{} needs a number, not text", self.kind))
            }
            (kind, _) => return Err(format!("unsupported conversion `%{kind}`")),
        };
        Ok(self.pad(body, ' '))
    }

    fn integer(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let digits = match self.precision {
            Some(p) if p > digits.len() => format!("{}{digits}", "0".repeat(p - digits.len())),
            _ => digits,
        };
        let sign = if n < 0 { Some('-') } else { self.sign };
        let sign = sign.map(String::from).unwrap_or_default();
        if self.zero && !self.left && self.width > sign.len() + digits.len() {
            let zeros = "0".repeat(self.width - sign.len() - digits.len());
            return format!("{sign}{zeros}{digits}");
        }
        self.pad(format!("{sign}{digits}"), ' ')
    }

    fn pad(&self, body: String, fill: char) -> String {
        let length = body.chars().count();
        if length >= self.width {
            return body;
        }
        let padding: String = std::iter::repeat_n(fill, self.width - length).collect();
        if self.left {
            body + &padding
        } else {
            padding + &body
        }
    }
}

fn truncate(text: &str, precision: Option<usize>) -> String {
    match precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    }
}

/// A new revision id that `taken` does not know: [`generate_revision_id`], or, when that
/// id is taken (two `mig revision` runs in one second), the same id with `_2`, `_3`, ...
/// appended (well within the 32 characters of `VARCHAR(32)`).
pub fn unique_revision_id(
    style: RevisionIdStyle,
    now: DateTime<Utc>,
    taken: &dyn Fn(&str) -> bool,
) -> String {
    let base = generate_revision_id(style, now);
    if !taken(&base) {
        return base;
    }
    (2u32..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// Id generator for `mig revision` (`[mig] revision_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevisionIdStyle {
    #[default]
    Timestamp,
    Hex,
}

/// A new revision id: `timestamp` is the UTC time as `%Y%m%d%H%M%S`; `hex` is 12 hex
/// digits (like Alembic's), from a hash of the time, the process id and a counter.
pub fn generate_revision_id(style: RevisionIdStyle, now: DateTime<Utc>) -> String {
    match style {
        RevisionIdStyle::Timestamp => now.format("%Y%m%d%H%M%S").to_string(),
        RevisionIdStyle::Hex => {
            static COUNTER: AtomicU64 = AtomicU64::new(0);
            let mut hasher = Sha256::new();
            hasher.update(now.timestamp_nanos_opt().unwrap_or_default().to_le_bytes());
            hasher.update(std::process::id().to_le_bytes());
            hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
            hasher.update(Utc::now().timestamp_subsec_nanos().to_le_bytes());
            let mut hex = String::with_capacity(12);
            for byte in hasher.finalize().iter().take(6) {
                let _ = write!(hex, "{byte:02x}");
            }
            hex
        }
    }
}

#[cfg(test)]
mod tests;
