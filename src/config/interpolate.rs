//! ConfigParser's `BasicInterpolation`: `%(name)s` references and `%%`, resolved when a
//! value is asked for. Pure; never reads the process environment itself (the caller
//! passes it in [`Defaults`]).
//!
//! A name is looked up lower-cased (ConfigParser's `optionxform`) in the value's own
//! section, then `[DEFAULT]`, then the injected defaults (`here`), then the environment:
//! first the variable spelled as written (`%(DATABASE_URL)s` -> `DATABASE_URL`), then any
//! variable whose lower-cased name matches. Referenced ini values are interpolated in
//! turn, up to [`MAX_DEPTH`] levels as in Python. Deliberate difference from Python with
//! `ConfigParser(os.environ)`: injected and environment values are taken literally, so
//! a percent-encoded password in `DATABASE_URL` needs no `%%`.

use std::collections::BTreeMap;
use std::fmt;

use super::ini::{Ini, IniError};
pub use super::ini::{MAX_DEPTH, MAX_LENGTH, MAX_REFERENCES};

/// Values visible to every interpolation besides the file's own: named defaults such
/// as `here`, and the environment. `Debug` lists names only.
#[derive(Clone, Default)]
pub struct Defaults {
    values: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    /// Lower-cased variable name -> value of the first variable (in sorted order) with
    /// that lower-cased name.
    env_folded: BTreeMap<String, String>,
}

impl Defaults {
    /// No defaults, no environment.
    pub fn new() -> Defaults {
        Defaults::default()
    }

    /// Adds a named default (`here`); the name is lower-cased.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Defaults {
        self.values.insert(name.to_lowercase(), value.into());
        self
    }

    /// Makes the environment visible to `%(NAME)s` references.
    pub fn with_env(mut self, env: &BTreeMap<String, String>) -> Defaults {
        for (name, value) in env {
            self.env.insert(name.clone(), value.clone());
            self.env_folded
                .entry(name.to_lowercase())
                .or_insert_with(|| value.clone());
        }
        self
    }

    fn lookup(&self, written: &str, folded: &str) -> Option<&str> {
        self.values
            .get(folded)
            .or_else(|| self.env.get(written))
            .or_else(|| self.env_folded.get(folded))
            .map(String::as_str)
    }
}

impl fmt::Debug for Defaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Defaults")
            .field("values", &self.values.keys().collect::<Vec<_>>())
            .field("env", &format_args!("{} variables", self.env.len()))
            .finish()
    }
}

/// Interpolates `raw`, the value of `key` in `section`.
pub(super) fn interpolate(
    ini: &Ini,
    section: &str,
    key: &str,
    raw: &str,
    defaults: &Defaults,
    keep: &dyn Fn(&str) -> bool,
) -> Result<String, IniError> {
    let context = Context {
        ini,
        section,
        key,
        defaults,
        keep,
        references: std::cell::Cell::new(0),
    };
    let mut out = String::with_capacity(raw.len());
    context.expand(raw, 1, &mut out)?;
    Ok(out)
}

struct Context<'a> {
    ini: &'a Ini,
    section: &'a str,
    key: &'a str,
    defaults: &'a Defaults,
    keep: &'a dyn Fn(&str) -> bool,
    /// References expanded so far, against [`MAX_REFERENCES`].
    references: std::cell::Cell<usize>,
}

impl Context<'_> {
    fn expand(&self, value: &str, depth: usize, out: &mut String) -> Result<(), IniError> {
        if depth > MAX_DEPTH {
            return Err(IniError::RecursionLimit {
                file: self.file(),
                section: self.section.to_string(),
                key: self.key.to_string(),
            });
        }
        let mut rest = value;
        while let Some(percent) = rest.find('%') {
            out.push_str(&rest[..percent]);
            let after = &rest[percent + 1..];
            if let Some(tail) = after.strip_prefix('%') {
                out.push('%');
                rest = tail;
            } else if let Some(inner) = after.strip_prefix('(') {
                let Some((written, tail)) = reference(inner) else {
                    return Err(self.bad("a `%(` must close as `%(name)s`"));
                };
                self.resolve(written, depth, out)?;
                rest = tail;
            } else {
                return Err(self.bad(
                    "`%` must be followed by `%` or `(`; write `%%` for a literal `%` \
                     (for example in a percent-encoded password)",
                ));
            }
        }
        out.push_str(rest);
        Ok(())
    }

    fn resolve(&self, written: &str, depth: usize, out: &mut String) -> Result<(), IniError> {
        let count = self.references.get() + 1;
        self.references.set(count);
        if count > MAX_REFERENCES || out.len() > MAX_LENGTH {
            return Err(IniError::TooLarge {
                file: self.file(),
                line: self.ini.line(self.section, self.key).unwrap_or_default(),
                section: self.section.to_string(),
                key: self.key.to_string(),
            });
        }
        let name = written.to_lowercase();
        if (self.keep)(&name) {
            out.push_str("%(");
            out.push_str(written);
            out.push_str(")s");
        } else if let Some(value) = self.ini.raw(self.section, &name) {
            if value.contains('%') {
                self.expand(value, depth + 1, out)?;
            } else {
                out.push_str(value);
            }
        } else if let Some(value) = self.defaults.lookup(written, &name) {
            out.push_str(value);
        } else {
            return Err(IniError::MissingReference {
                file: self.file(),
                section: self.section.to_string(),
                key: self.key.to_string(),
                written: written.to_string(),
                name,
            });
        }
        Ok(())
    }

    fn file(&self) -> String {
        self.ini.source().display().to_string()
    }

    fn bad(&self, problem: &'static str) -> IniError {
        IniError::BadInterpolation {
            file: self.file(),
            section: self.section.to_string(),
            key: self.key.to_string(),
            problem,
        }
    }
}

/// Splits `name)s...` (the text after `%(`) into the name and the rest, as Python's
/// `%\(([^)]+)\)s` does.
fn reference(inner: &str) -> Option<(&str, &str)> {
    let close = inner.find(')')?;
    let tail = inner[close + 1..].strip_prefix('s')?;
    (close > 0).then(|| (&inner[..close], tail))
}

impl Ini {
    /// The interpolated value of `key` in `section` (`None` when absent).
    pub fn get(
        &self,
        section: &str,
        key: &str,
        defaults: &Defaults,
    ) -> Result<Option<String>, IniError> {
        self.get_keeping(section, key, defaults, &|_| false)
    }

    /// Like [`Ini::get`], but references whose lower-cased name satisfies `keep` are left
    /// as written (`%(table_name)s` in a naming-convention template).
    pub fn get_keeping(
        &self,
        section: &str,
        key: &str,
        defaults: &Defaults,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Option<String>, IniError> {
        let key = key.to_lowercase();
        match self.raw(section, &key) {
            Some(raw) => interpolate(self, section, &key, raw, defaults, keep).map(Some),
            None => Ok(None),
        }
    }
}
