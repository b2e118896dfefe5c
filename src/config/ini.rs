//! ConfigParser-compatible ini reading: the syntax Python 3.11's `configparser.ConfigParser`
//! accepts in its default (strict) mode. Values are interpolated lazily, when asked for,
//! by `Ini::get` in the interpolation module (which builds on this one, never the other
//! way round). Knows nothing of Alembic or mig keys; never reads files (the caller
//! passes the text) and never logs.
//!
//! Rules, as observed in Python 3.11: `[section]` headers (case-sensitive; the name runs
//! to the last `]`), `key = value` or `key: value` split at the first `=` or `:`, keys
//! lower-cased, values stripped, full-line `#`/`;` comments, no inline comments,
//! continuation lines indented deeper than their key (joined with `\n`, blank lines
//! kept inside, trailing ones dropped), a `[DEFAULT]` section whose keys every section
//! sees, duplicate sections or keys refused.

use std::fmt;
use std::path::{Path, PathBuf};

/// Python's `configparser.MAX_INTERPOLATION_DEPTH`.
pub const MAX_DEPTH: usize = 10;

/// The most `%(name)s` references one value may expand, counting nested ones. Depth
/// alone does not bound the work: ten levels of eight references each are 8^10 lookups
/// (an "interpolation bomb"; Python's ConfigParser takes most of a minute on it).
pub const MAX_REFERENCES: usize = 10_000;

/// The longest interpolated value, in bytes.
pub const MAX_LENGTH: usize = 1 << 20;

/// The name of the section whose keys every other section inherits.
pub const DEFAULT_SECTION: &str = "DEFAULT";

/// A parsed ini file. `Debug` shows section names only: values may hold secrets.
#[derive(Clone)]
pub struct Ini {
    source: PathBuf,
    defaults: Vec<Entry>,
    sections: Vec<Section>,
}

#[derive(Clone)]
struct Section {
    name: String,
    entries: Vec<Entry>,
}

#[derive(Clone)]
struct Entry {
    key: String,
    /// The raw (uninterpolated) value lines; joined on lookup.
    value: String,
    line: usize,
}

/// An ini syntax or interpolation error, naming the file and the line or key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IniError {
    #[error("`{file}` line {line}: expected a section header such as `[alembic]` before the first option")]
    MissingSectionHeader { file: String, line: usize },
    #[error(
        "`{file}`: cannot parse {}; expected `key = value`, `key: value`, a `[section]` header \
         or a `#`/`;` comment",
        render_bad_lines(.lines)
    )]
    Syntax {
        file: String,
        lines: Vec<(usize, String)>,
    },
    #[error("`{file}` line {line}: section `[{section}]` already exists")]
    DuplicateSection {
        file: String,
        line: usize,
        section: String,
    },
    #[error("`{file}` line {line}: option `{key}` in section `[{section}]` already exists")]
    DuplicateOption {
        file: String,
        line: usize,
        section: String,
        key: String,
    },
    #[error(
        "`{file}`: `{key}` in section `[{section}]` refers to `%({written})s`, but `{name}` is \
         not an option in `[{section}]` or `[DEFAULT]` and no environment variable `{written}` \
         is set; set it in the environment or define `{name}` in the file"
    )]
    MissingReference {
        file: String,
        section: String,
        key: String,
        /// The name as written inside `%(...)s`.
        written: String,
        /// The name looked up (lower-cased, as ConfigParser does).
        name: String,
    },
    #[error(
        "`{file}`: `{key}` in section `[{section}]` cannot be interpolated in {max} steps \
         (do its `%(...)s` references form a loop?)",
        max = MAX_DEPTH
    )]
    RecursionLimit {
        file: String,
        section: String,
        key: String,
    },
    #[error(
        "`{file}` line {line}: `{key}` in section `[{section}]` expands to more than \
         {references} `%(...)s` references or {length} bytes; refusing to interpolate it \
         (nested references that multiply, an interpolation bomb?)",
        references = MAX_REFERENCES,
        length = MAX_LENGTH
    )]
    TooLarge {
        file: String,
        line: usize,
        section: String,
        key: String,
    },
    #[error("`{file}`: `{key}` in section `[{section}]`: {problem}")]
    BadInterpolation {
        file: String,
        section: String,
        key: String,
        problem: &'static str,
    },
}

fn render_bad_lines(lines: &[(usize, String)]) -> String {
    lines
        .iter()
        .map(|(n, text)| format!("line {n} `{text}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Ini {
    /// Parses ini text; `source` names the file in error messages.
    pub fn parse(text: &str, source: impl Into<PathBuf>) -> Result<Ini, IniError> {
        Parser::new(source.into()).run(text)
    }

    /// The file name given to [`Ini::parse`].
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Whether the file has this section (`DEFAULT` is not a section, as in Python).
    pub fn has_section(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    /// Section names in file order (without `DEFAULT`).
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.name.as_str())
    }

    /// The keys written in the section itself, in file order (inherited `[DEFAULT]`
    /// keys excluded). Empty for an unknown section.
    pub fn own_keys(&self, section: &str) -> Vec<&str> {
        self.section_entries(section)
            .iter()
            .map(|e| e.key.as_str())
            .collect()
    }

    /// The raw value of `key` (any case) in `section`, else in `[DEFAULT]`.
    pub fn raw(&self, section: &str, key: &str) -> Option<&str> {
        self.entry(section, key).map(|e| e.value.as_str())
    }

    /// The line where `key` is defined for `section` (its own or `[DEFAULT]`'s).
    pub fn line(&self, section: &str, key: &str) -> Option<usize> {
        self.entry(section, key).map(|e| e.line)
    }

    /// Where `key` of `section` comes from, for error messages: ``in `[section]` of
    /// `file` line N``.
    pub fn origin(&self, section: &str, key: &str) -> String {
        let line = self
            .line(section, key)
            .map(|n| format!(" line {n}"))
            .unwrap_or_default();
        format!("in `[{section}]` of `{}`{line}", self.source().display())
    }

    fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    fn section_entries(&self, name: &str) -> &[Entry] {
        self.section(name).map_or(&[], |s| &s.entries)
    }

    fn entry(&self, section: &str, key: &str) -> Option<&Entry> {
        let key = key.to_lowercase();
        let own = if section == DEFAULT_SECTION {
            None
        } else {
            self.section_entries(section).iter().find(|e| e.key == key)
        };
        own.or_else(|| self.defaults.iter().find(|e| e.key == key))
    }
}

impl fmt::Debug for Ini {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ini")
            .field("source", &self.source)
            .field("sections", &self.section_names().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Where new lines go while parsing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Defaults,
    Section(usize),
}

struct Parser {
    ini: Ini,
    target: Option<Target>,
    /// The option that indented lines continue: (target, entry index).
    current: Option<(Target, usize)>,
    /// Indentation of the last key or header line: deeper lines continue the value.
    indent: usize,
    bad_lines: Vec<(usize, String)>,
    /// `(section, key)` pairs seen, for the duplicate check (the `[DEFAULT]` section
    /// may be repeated, its keys may not).
    seen: std::collections::HashSet<(String, String)>,
}

impl Parser {
    fn new(source: PathBuf) -> Parser {
        Parser {
            ini: Ini {
                source,
                defaults: Vec::new(),
                sections: Vec::new(),
            },
            target: None,
            current: None,
            indent: 0,
            bad_lines: Vec::new(),
            seen: std::collections::HashSet::new(),
        }
    }

    fn file(&self) -> String {
        self.ini.source.display().to_string()
    }

    fn run(mut self, text: &str) -> Result<Ini, IniError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.lines().enumerate() {
            self.line(index + 1, line)?;
        }
        if !self.bad_lines.is_empty() {
            return Err(IniError::Syntax {
                file: self.file(),
                lines: self.bad_lines,
            });
        }
        for entry in self.ini.defaults.iter_mut().chain(
            self.ini
                .sections
                .iter_mut()
                .flat_map(|s| s.entries.iter_mut()),
        ) {
            entry.value.truncate(entry.value.trim_end().len());
        }
        Ok(self.ini)
    }

    fn line(&mut self, number: usize, line: &str) -> Result<(), IniError> {
        let stripped = line.trim();
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        if stripped.is_empty() || is_comment {
            // A blank line inside a value is kept (Python's `empty_lines_in_values`);
            // a comment line is dropped without ending the value.
            if !is_comment {
                if let Some(entry) = self.current.and_then(|c| self.entry_mut(c)) {
                    entry.value.push('\n');
                }
            }
            return Ok(());
        }
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if let Some(current) = self.current.filter(|_| indent > self.indent) {
            if let Some(entry) = self.entry_mut(current) {
                entry.value.push('\n');
                entry.value.push_str(stripped);
            }
            return Ok(());
        }
        self.indent = indent;
        if let Some(name) = section_header(stripped) {
            return self.section(number, name);
        }
        let Some(target) = self.target else {
            return Err(IniError::MissingSectionHeader {
                file: self.file(),
                line: number,
            });
        };
        let Some(split) = stripped.find(['=', ':']) else {
            self.bad_lines.push((number, stripped.to_string()));
            return Ok(());
        };
        let key = stripped[..split].trim_end().to_lowercase();
        let value = stripped[split + 1..].trim().to_string();
        if key.is_empty() {
            self.bad_lines.push((number, stripped.to_string()));
            self.current = None;
            return Ok(());
        }
        let section_name = match target {
            Target::Defaults => DEFAULT_SECTION.to_string(),
            Target::Section(i) => self
                .ini
                .sections
                .get(i)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        };
        if !self.seen.insert((section_name.clone(), key.clone())) {
            return Err(IniError::DuplicateOption {
                file: self.file(),
                line: number,
                section: section_name,
                key,
            });
        }
        let entries = match target {
            Target::Defaults => &mut self.ini.defaults,
            Target::Section(i) => match self.ini.sections.get_mut(i) {
                Some(section) => &mut section.entries,
                None => return Ok(()),
            },
        };
        entries.push(Entry {
            key,
            value,
            line: number,
        });
        self.current = Some((target, entries.len() - 1));
        Ok(())
    }

    fn section(&mut self, number: usize, name: &str) -> Result<(), IniError> {
        self.current = None;
        if name == DEFAULT_SECTION {
            self.target = Some(Target::Defaults);
            return Ok(());
        }
        if self.ini.section(name).is_some() {
            return Err(IniError::DuplicateSection {
                file: self.file(),
                line: number,
                section: name.to_string(),
            });
        }
        self.ini.sections.push(Section {
            name: name.to_string(),
            entries: Vec::new(),
        });
        self.target = Some(Target::Section(self.ini.sections.len() - 1));
        Ok(())
    }

    fn entry_mut(&mut self, (target, index): (Target, usize)) -> Option<&mut Entry> {
        match target {
            Target::Defaults => self.ini.defaults.get_mut(index),
            Target::Section(i) => self.ini.sections.get_mut(i)?.entries.get_mut(index),
        }
    }
}

/// `[name]`: the name runs from after `[` to the last `]` and is not empty (Python's
/// greedy `\[(?P<header>.+)\]`; text after the last `]` is ignored).
fn section_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    (close > 0).then(|| &inner[..close])
}

#[cfg(test)]
mod tests;
