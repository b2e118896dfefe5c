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
pub(crate) enum TemplateError {
    UnknownToken(String),
    Unterminated,
}

/// The placeholder shown for the free part in an expected name.
pub(crate) const FREE_PART: &str = "<constraint_name>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    segments: Vec<Segment>,
}

impl Template {
    /// Parses a template written with `%(token)s` or `%%(token)s` (`%%` is a `%`).
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
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
                let (name, tail) = open.split_once(")s").ok_or(TemplateError::Unterminated)?;
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
        Ok(Template { segments })
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

fn token(name: &str) -> Result<Token, TemplateError> {
    let unknown = || TemplateError::UnknownToken(name.to_string());
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
mod tests {
    use super::*;

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn render(template: &str, subject: &Subject) -> String {
        Template::parse(template)
            .map(|t| t.expected(subject))
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn every_token() {
        let columns = owned(&["tenant_id", "seq_no"]);
        let referred = owned(&["id", "version"]);
        let subject = Subject {
            table: "chunks",
            columns: &columns,
            referred_table: "tenants",
            referred_columns: &referred,
        };
        let cases = [
            ("pk_%(table_name)s", "pk_chunks"),
            ("x_%(column_0_name)s", "x_tenant_id"),
            ("x_%(column_1_name)s", "x_seq_no"),
            ("x_%(column_2_name)s", "x_"),
            ("x_%(column_0_key)s", "x_tenant_id"),
            ("x_%(column_0_N_name)s", "x_tenant_id_seq_no"),
            ("x_%(column_0N_name)s", "x_tenant_idseq_no"),
            ("ix_%(column_0_label)s", "ix_chunks_tenant_id"),
            (
                "ix_%(column_0_N_label)s",
                "ix_chunks_tenant_id_chunks_seq_no",
            ),
            ("x_%(referred_table_name)s", "x_tenants"),
            ("x_%(referred_column_0_name)s", "x_id"),
            ("x_%(referred_column_0N_name)s", "x_idversion"),
            (
                "uq_%(table_name)s__%(constraint_name)s",
                "uq_chunks__<constraint_name>",
            ),
            ("pk_%%(table_name)s", "pk_chunks"),
            ("100%%_%(table_name)s", "100%_chunks"),
            ("odd%x", "odd%x"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &subject), expected, "{template}");
        }
    }

    #[test]
    fn template_errors() {
        let error = |t: &str| Template::parse(t).err();
        assert_eq!(
            error("pk_%(table)s"),
            Some(TemplateError::UnknownToken("table".into()))
        );
        assert_eq!(
            error("x_%(column_1_N_name)s"),
            Some(TemplateError::UnknownToken("column_1_N_name".into()))
        );
        assert_eq!(
            error("x_%(referred_column_0_label)s"),
            Some(TemplateError::UnknownToken(
                "referred_column_0_label".into()
            ))
        );
        assert_eq!(
            error("x_%(column_name)s"),
            Some(TemplateError::UnknownToken("column_name".into()))
        );
        assert_eq!(error("pk_%(table_name"), Some(TemplateError::Unterminated));
    }

    #[test]
    fn free_part_matches_any_non_empty_text() {
        let template = Template::parse("ck_%(table_name)s__%(constraint_name)s").ok();
        let subject = Subject {
            table: "acct.v2",
            ..Subject::default()
        };
        let fits = |name: &str| {
            template
                .as_ref()
                .is_some_and(|t| t.fits(name, &subject, Some(63)))
        };
        assert!(fits("ck_acct.v2__positive_balance"));
        assert!(!fits("ck_acct.v2__"));
        assert!(
            !fits("ck_acctxv2__positive"),
            "the table name is literal text"
        );
        assert!(!fits("acct_name_check1"));
    }

    #[test]
    fn long_names_fit_truncated() {
        let template =
            Template::parse("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s").ok();
        let columns = owned(&["a_rather_long_column_name_for_a_key"]);
        let subject = Subject {
            table: "an_unusually_long_table_name",
            columns: &columns,
            referred_table: "another_long_table",
            referred_columns: &[],
        };
        let full = template
            .as_ref()
            .map(|t| t.expected(&subject))
            .unwrap_or_default();
        assert!(full.len() > 63);
        let fits = |name: &str| {
            template
                .as_ref()
                .is_some_and(|t| t.fits(name, &subject, Some(63)))
        };
        assert!(fits(&full[..63]), "cut by the server");
        assert!(fits(&format!("{}_1f3a", &full[..55])), "cut by SQLAlchemy");
        assert!(!fits(&format!("{}_zzzz", &full[..55])));
        assert!(!fits(&full[..62]));
    }
}
