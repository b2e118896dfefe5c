//! The clauses of a SQLite `CREATE TABLE` that only its text holds: CHECK constraints,
//! constraint names, collations, generated-column expressions. Column constraints are
//! written as the table constraints they mean. Returns `None` for what it does not
//! understand (`AS SELECT`, virtual tables, unbalanced text); never panics.

use super::text::{normal_ident, render, tokenize, Token};

/// What the text of a `CREATE TABLE` says beyond what the pragmas report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct TableText {
    pub columns: Vec<ColumnText>,
    pub constraints: Vec<ConstraintText>,
}

/// A column's collation and generated expression (normal form).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct ColumnText {
    pub name: String,
    pub collation: Option<String>,
    pub generated: Option<String>,
}

/// The kinds of constraint a table's text can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
}

impl ConstraintKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique",
            ConstraintKind::Check => "check",
            ConstraintKind::ForeignKey => "foreign key",
        }
    }
}

/// A constraint clause, column constraints written as the table constraint they mean
/// (`email TEXT UNIQUE` gives `unique (email)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ConstraintText {
    /// `CONSTRAINT name`, if given.
    pub name: Option<String>,
    pub kind: ConstraintKind,
    /// Column names as written.
    pub columns: Vec<String>,
    /// The clause in normal form, without `CONSTRAINT name`.
    pub definition: String,
    pub referred_table: Option<String>,
}

/// Reads the columns and constraints of a `CREATE TABLE name (...)`; `None` for other
/// forms (`AS SELECT`, virtual tables) and unbalanced text.
pub(super) fn parse_create_table(sql: &str) -> Option<TableText> {
    let tokens = tokenize(sql);
    let open = tokens.iter().position(|t| t.is_punct('('))?;
    let head = tokens.get(..open)?;
    if !head.iter().any(|t| t.is_word("table")) || head.iter().any(|t| t.is_word("virtual")) {
        return None;
    }
    let close = matching_paren(&tokens, open)?;
    let body = tokens.get(open + 1..close)?;
    let mut table = TableText::default();
    for item in split_top_level(body) {
        let starts_constraint = item.first().is_some_and(|t| {
            ["constraint", "primary", "unique", "check", "foreign"]
                .iter()
                .any(|w| t.is_word(w))
        });
        if starts_constraint {
            table.constraints.extend(table_constraint(item));
        } else {
            let (column, constraints) = column_definition(item)?;
            table.columns.push(column);
            table.constraints.extend(constraints);
        }
    }
    Some(table)
}

/// The index of the `)` that closes the `(` at `open`.
fn matching_paren(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.saturating_sub(1);
        } else if token.is_punct(',') && depth == 0 {
            items.extend(tokens.get(start..i));
            start = i + 1;
        }
    }
    items.extend(tokens.get(start..));
    items.retain(|item| !item.is_empty());
    items
}

/// Names in a parenthesised list starting at `open` (first token of each item).
fn name_list(tokens: &[Token], open: usize) -> Option<(Vec<String>, usize)> {
    let close = matching_paren(tokens, open)?;
    let names = split_top_level(tokens.get(open + 1..close)?)
        .into_iter()
        .filter_map(|item| item.first().and_then(Token::name).map(str::to_string))
        .collect();
    Some((names, close))
}

fn table_constraint(item: &[Token]) -> Option<ConstraintText> {
    let (name, rest) = match item {
        [first, name, rest @ ..] if first.is_word("constraint") => {
            (name.name().map(str::to_string), rest)
        }
        _ => (None, item),
    };
    let first = rest.first()?;
    let definition = render(rest);
    let paren = rest.iter().position(|t| t.is_punct('('));
    let (kind, columns, referred_table) = if first.is_word("check") {
        (ConstraintKind::Check, Vec::new(), None)
    } else {
        let (columns, close) = name_list(rest, paren?)?;
        if first.is_word("primary") {
            (ConstraintKind::PrimaryKey, columns, None)
        } else if first.is_word("unique") {
            (ConstraintKind::Unique, columns, None)
        } else if first.is_word("foreign") {
            let referred = match rest.get(close + 1..)? {
                [references, table, ..] if references.is_word("references") => {
                    table.name().map(str::to_string)
                }
                _ => None,
            };
            (ConstraintKind::ForeignKey, columns, referred)
        } else {
            return None;
        }
    };
    Some(ConstraintText {
        name,
        kind,
        columns,
        definition,
        referred_table,
    })
}

/// Words that start a column constraint (and so end the type name).
const COLUMN_CONSTRAINT_WORDS: [&str; 11] = [
    "constraint",
    "primary",
    "not",
    "null",
    "unique",
    "check",
    "default",
    "collate",
    "references",
    "generated",
    "as",
];

fn column_definition(item: &[Token]) -> Option<(ColumnText, Vec<ConstraintText>)> {
    let name = item.first()?.name()?.to_string();
    let column_ref = normal_ident(&name);
    let mut column = ColumnText {
        name: name.clone(),
        ..ColumnText::default()
    };
    let mut constraints = Vec::new();
    let mut i = 1;
    // The type name: words and a parenthesised size, up to the first constraint word.
    while let Some(token) = item.get(i) {
        if COLUMN_CONSTRAINT_WORDS.iter().any(|w| token.is_word(w)) {
            break;
        }
        if token.is_punct('(') {
            i = matching_paren(item, i)?;
        }
        i += 1;
    }
    let mut pending_name: Option<String> = None;
    while let Some(token) = item.get(i) {
        let start = i;
        let mut kind = None;
        if token.is_word("constraint") {
            pending_name = item.get(i + 1).and_then(Token::name).map(str::to_string);
            i += 2;
            continue;
        } else if token.is_word("primary") {
            i = skip_words(item, i + 1, &["key", "asc", "desc"]);
            i = skip_conflict(item, i);
            i = skip_words(item, i, &["autoincrement"]);
            kind = Some(ConstraintKind::PrimaryKey);
        } else if token.is_word("not") {
            i = skip_conflict(item, skip_words(item, i + 1, &["null"]));
        } else if token.is_word("null") {
            i = skip_conflict(item, i + 1);
        } else if token.is_word("unique") {
            i = skip_conflict(item, i + 1);
            kind = Some(ConstraintKind::Unique);
        } else if token.is_word("check") {
            i = after_paren(item, i + 1)?;
            kind = Some(ConstraintKind::Check);
        } else if token.is_word("default") {
            i += 1;
            if item
                .get(i)
                .is_some_and(|t| t.is_punct('+') || t.is_punct('-'))
            {
                i += 1;
            }
            i = if item.get(i).is_some_and(|t| t.is_punct('(')) {
                after_paren(item, i)?
            } else {
                i + 1
            };
        } else if token.is_word("collate") {
            column.collation = item
                .get(i + 1)
                .and_then(Token::name)
                .map(str::to_ascii_lowercase);
            i += 2;
        } else if token.is_word("generated") || token.is_word("as") {
            i = skip_words(item, i, &["generated", "always", "as"]);
            let open = i;
            i = after_paren(item, open)?;
            column.generated = item.get(open + 1..i - 1).map(render);
            i = skip_words(item, i, &["stored", "virtual"]);
        } else if token.is_word("references") {
            i += 2;
            if item.get(i).is_some_and(|t| t.is_punct('(')) {
                i = after_paren(item, i)?;
            }
            i = skip_foreign_key_clauses(item, i);
            kind = Some(ConstraintKind::ForeignKey);
        } else {
            i += 1;
        }
        let name = pending_name.take();
        let Some(kind) = kind else { continue };
        let clause = item.get(start..i).unwrap_or_default();
        let rest = render(clause.get(2.min(clause.len())..).unwrap_or_default());
        let definition = match kind {
            ConstraintKind::PrimaryKey => join(&format!("primary key ({column_ref})"), &rest),
            ConstraintKind::Unique => join(
                &format!("unique ({column_ref})"),
                &render(clause.get(1..).unwrap_or_default()),
            ),
            ConstraintKind::Check => render(clause),
            ConstraintKind::ForeignKey => {
                join(&format!("foreign key ({column_ref})"), &render(clause))
            }
        };
        let referred_table = (kind == ConstraintKind::ForeignKey)
            .then(|| clause.get(1).and_then(Token::name).map(str::to_string))
            .flatten();
        constraints.push(ConstraintText {
            name,
            kind,
            columns: if kind == ConstraintKind::Check {
                Vec::new()
            } else {
                vec![column.name.clone()]
            },
            definition,
            referred_table,
        });
    }
    Some((column, constraints))
}

fn join(head: &str, rest: &str) -> String {
    if rest.is_empty() {
        head.to_string()
    } else {
        format!("{head} {rest}")
    }
}

fn skip_words(item: &[Token], mut i: usize, words: &[&str]) -> usize {
    while item
        .get(i)
        .is_some_and(|t| words.iter().any(|w| t.is_word(w)))
    {
        i += 1;
    }
    i
}

/// Skips `ON CONFLICT <resolution>`.
fn skip_conflict(item: &[Token], i: usize) -> usize {
    match item.get(i..i + 2) {
        Some([on, conflict]) if on.is_word("on") && conflict.is_word("conflict") => i + 3,
        _ => i,
    }
}

/// The index after the parenthesised group that opens at `open`.
fn after_paren(item: &[Token], open: usize) -> Option<usize> {
    if !item.get(open)?.is_punct('(') {
        return None;
    }
    matching_paren(item, open).map(|close| close + 1)
}

/// Skips `ON DELETE|UPDATE <action>`, `MATCH name`, `[NOT] DEFERRABLE [INITIALLY ...]`.
fn skip_foreign_key_clauses(item: &[Token], mut i: usize) -> usize {
    loop {
        let Some(token) = item.get(i) else { return i };
        if token.is_word("on") && item.get(i + 1).is_some_and(|t| !t.is_word("conflict")) {
            i += 2;
            // Actions are one or two words: CASCADE, RESTRICT, SET NULL, SET DEFAULT, NO ACTION.
            if item
                .get(i)
                .is_some_and(|t| t.is_word("set") || t.is_word("no"))
            {
                i += 1;
            }
            i += 1;
        } else if token.is_word("match") {
            i += 2;
        } else if token.is_word("not") && item.get(i + 1).is_some_and(|t| t.is_word("deferrable")) {
            i = skip_words(item, i + 2, &["initially", "deferred", "immediate"]);
        } else if token.is_word("deferrable") {
            i = skip_words(item, i + 1, &["initially", "deferred", "immediate"]);
        } else {
            return i;
        }
    }
}

#[cfg(test)]
mod tests;
