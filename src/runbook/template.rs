//! Runbook templates: Markdown with `{{section}}` placeholders. A project's own
//! `templates/runbook.md.tmpl` (beside its ini file) wins over the built-in one. Unknown
//! or unterminated placeholders are refused with the file and line before anything runs.
//! Pure text: reads the template file, renders nothing but the substitution.

use std::path::{Path, PathBuf};

/// The built-in template.
pub const BUILTIN: &str = include_str!("../../templates/runbook.md.tmpl");

/// Where a project keeps its own template, relative to the ini file's directory.
pub const PROJECT_TEMPLATE: &str = "templates/runbook.md.tmpl";

/// Every placeholder a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "project",
    "legend",
    "header",
    "summary",
    "preflight",
    "connection",
    "steps",
    "states",
    "roundtrip",
    "constraints",
    "seeds",
    "dod",
    "reproduce",
];

/// A template refused before anything ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the runbook template `{}`: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error(
        "`{source_name}` line {line}: unknown placeholder `{{{{{name}}}}}`; known: {}",
        PLACEHOLDERS.join(", ")
    )]
    Unknown {
        source_name: String,
        line: usize,
        name: String,
    },
    #[error("`{source_name}` line {line}: `{{{{` without a closing `}}}}`")]
    Unterminated { source_name: String, line: usize },
}

/// A checked template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// `built-in` or the file's path.
    pub source: String,
    text: String,
}

impl Template {
    /// The built-in template.
    pub fn builtin() -> Template {
        Template {
            source: "built-in".into(),
            text: BUILTIN.to_string(),
        }
    }

    /// The project's `templates/runbook.md.tmpl` under `here` if it exists, else the
    /// built-in one; checked either way.
    pub fn for_project(here: &Path) -> Result<Template, TemplateError> {
        let path = here.join(PROJECT_TEMPLATE);
        if !path.is_file() {
            return Ok(Template::builtin());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| TemplateError::Read {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Template::parse(&text, &path.display().to_string())
    }

    /// Checks `text`; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Template, TemplateError> {
        let template = Template {
            source: source.to_string(),
            text: text.to_string(),
        };
        for piece in template.pieces() {
            match piece {
                Piece::Placeholder { name, line } if !PLACEHOLDERS.contains(&name) => {
                    return Err(TemplateError::Unknown {
                        source_name: source.to_string(),
                        line,
                        name: name.to_string(),
                    })
                }
                Piece::Unterminated { line } => {
                    return Err(TemplateError::Unterminated {
                        source_name: source.to_string(),
                        line,
                    })
                }
                _ => {}
            }
        }
        Ok(template)
    }

    /// The template with every placeholder replaced by `section(name)`.
    pub fn render(&self, section: &dyn Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() * 4);
        for piece in self.pieces() {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Placeholder { name, .. } => out.push_str(section(name).trim_end()),
                Piece::Unterminated { .. } => {}
            }
        }
        out
    }

    fn pieces(&self) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        let mut rest = self.text.as_str();
        let mut line = 1;
        while let Some(open) = rest.find("{{") {
            let (before, after) = rest.split_at(open);
            pieces.push(Piece::Text(before));
            line += before.matches('\n').count();
            let inner = &after[2..];
            match inner.find("}}") {
                Some(close) => {
                    let name = &inner[..close];
                    pieces.push(Piece::Placeholder {
                        name: name.trim(),
                        line,
                    });
                    line += name.matches('\n').count();
                    rest = &inner[close + 2..];
                }
                None => {
                    pieces.push(Piece::Unterminated { line });
                    rest = "";
                }
            }
        }
        pieces.push(Piece::Text(rest));
        pieces
    }
}

enum Piece<'a> {
    Text(&'a str),
    Placeholder { name: &'a str, line: usize },
    Unterminated { line: usize },
}

#[cfg(test)]
mod tests;
