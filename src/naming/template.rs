//! One SQLAlchemy naming-convention template (`fk_%(table_name)s_%(column_0_name)s`):
//! parsed once into literal text and tokens, then rendered for an object as the expected
//! name and as an anchored regex (`%(constraint_name)s` is the free part: any non-empty
//! text). Pure.

use regex::Regex;

/// What an object offers the tokens.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Subject<'a> {
    pub table: &'a str,
    pub columns: &'a [String],
    pub referred_table: &'a str,
    pub referred_columns: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnPart {
    Name,
    Key,
    Label,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    TableName,
    ConstraintName,
    ReferredTableName,
    /// `column_0_name`, `column_0_N_name` (joined by `_`), `column_0N_name` (joined
    /// without separator), `referred_column_0_name`, `column_0_label`, ...
    Column {
        referred: bool,
        index: usize,
        separator: Option<&'static str>,
        part: ColumnPart,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Token(Token),
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameTemplateError {
    UnknownToken(String),
    Unterminated,
}

/// The placeholder shown for the free part in an expected name.
pub(crate) const FREE_PART: &str = "<constraint_name>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameTemplate {
    segments: Vec<Segment>,
}

impl NameTemplate {
    /// Parses a template written with `%(token)s` or `%%(token)s` (`%%` is a `%`).
    pub fn parse(text: &str) -> Result<NameTemplate, NameTemplateError> {
        let text = text.replace("%%(", "%(");
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find('%') {
            literal.push_str(rest.get(..at).unwrap_or_default());
            let after = rest.get(at + 1..).unwrap_or_default();
            if let Some(escaped) = after.strip_prefix('%') {
                literal.push('%');
                rest = escaped;
            } else if let Some(open) = after.strip_prefix('(') {
                let (name, tail) = open
                    .split_once(")s")
                    .ok_or(NameTemplateError::Unterminated)?;
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Token(token(name)?));
                rest = tail;
            } else {
                literal.push('%');
                rest = after;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        Ok(NameTemplate { segments })
    }

    /// The expected name, with [`FREE_PART`] where the template has `%(constraint_name)s`.
    pub fn expected(&self, subject: &Subject) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.clone(),
                Segment::Token(Token::ConstraintName) => FREE_PART.to_string(),
                Segment::Token(token) => value(token, subject),
            })
            .collect()
    }

    /// Whether `name` fits. Without a free part, a name longer than `max_len` also fits
    /// truncated the server's way (cut at `max_len`) or SQLAlchemy's (cut at
    /// `max_len - 8`, then `_` and four hex digits of a hash).
    pub fn fits(&self, name: &str, subject: &Subject, max_len: Option<usize>) -> bool {
        let has_free_part = self
            .segments
            .contains(&Segment::Token(Token::ConstraintName));
        let mut pattern = String::from("^");
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => pattern.push_str(&regex::escape(text)),
                Segment::Token(Token::ConstraintName) => pattern.push_str(".+"),
                Segment::Token(token) => pattern.push_str(&regex::escape(&value(token, subject))),
            }
        }
        pattern.push('$');
        if Regex::new(&pattern).is_ok_and(|re| re.is_match(name)) {
            return true;
        }
        let expected = self.expected(subject);
        match max_len {
            Some(max) if !has_free_part && expected.chars().count() > max => {
                let cut = |n: usize| expected.chars().take(n).collect::<String>();
                let hashed = format!(
                    "^{}_[0-9a-f]{{4}}$",
                    regex::escape(&cut(max.saturating_sub(8)))
                );
                name == cut(max) || Regex::new(&hashed).is_ok_and(|re| re.is_match(name))
            }
            _ => false,
        }
    }
}

fn token(name: &str) -> Result<Token, NameTemplateError> {
    let unknown = || NameTemplateError::UnknownToken(name.to_string());
    match name {
        "table_name" => return Ok(Token::TableName),
        "constraint_name" => return Ok(Token::ConstraintName),
        "referred_table_name" => return Ok(Token::ReferredTableName),
        _ => {}
    }
    let (referred, rest) = match name.strip_prefix("referred_") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let rest = rest.strip_prefix("column_").ok_or_else(unknown)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let index: usize = digits.parse().map_err(|_| unknown())?;
    let rest = rest.get(digits.len()..).unwrap_or_default();
    let (separator, rest) = if let Some(rest) = rest.strip_prefix("_N_") {
        (Some("_"), rest)
    } else if let Some(rest) = rest.strip_prefix("N_") {
        (Some(""), rest)
    } else {
        (None, rest.strip_prefix('_').ok_or_else(unknown)?)
    };
    let part = match rest {
        "name" => ColumnPart::Name,
        "key" if !referred => ColumnPart::Key,
        "label" if !referred => ColumnPart::Label,
        _ => return Err(unknown()),
    };
    // SQLAlchemy only knows the joined forms starting at column 0.
    if separator.is_some() && index != 0 {
        return Err(unknown());
    }
    Ok(Token::Column {
        referred,
        index,
        separator,
        part,
    })
}

fn value(token: &Token, subject: &Subject) -> String {
    match token {
        Token::TableName => subject.table.to_string(),
        Token::ReferredTableName => subject.referred_table.to_string(),
        Token::ConstraintName => FREE_PART.to_string(),
        Token::Column {
            referred,
            index,
            separator,
            part,
        } => {
            let columns = if *referred {
                subject.referred_columns
            } else {
                subject.columns
            };
            let show = |column: &String| match part {
                ColumnPart::Name | ColumnPart::Key => column.clone(),
                ColumnPart::Label => format!("{}_{column}", subject.table),
            };
            match separator {
                Some(separator) => columns.iter().map(show).collect::<Vec<_>>().join(separator),
                // Past the last column, SQLAlchemy renders an empty string.
                None => columns.get(*index).map(show).unwrap_or_default(),
            }
        }
    }
}

#[cfg(test)]
mod tests;
