//! SQLite's schema text. SQLite stores each `CREATE` statement verbatim (and rewrites
//! the name on rename: `CREATE TABLE "t"`), and CHECK constraints, constraint names,
//! collations and generated-column expressions exist only there. This module tokenizes
//! that text, renders a normal form in which quoting, case, whitespace and comments do
//! not count, and reads the column and constraint clauses of a `CREATE TABLE`. Pure text:
//! never panics on odd input, returns `None` for what it does not understand.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Keyword or unquoted identifier, as written.
    Word(String),
    /// Quoted identifier (`"x"`, `` `x` ``, `[x]`), without its quotes.
    Ident(String),
    /// String or blob literal, with its quotes.
    Str(String),
    Num(String),
    /// An operator of more than one character (`<>`, `||`).
    Op(String),
    Punct(char),
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }

    fn is_punct(&self, c: char) -> bool {
        *self == Token::Punct(c)
    }

    /// The name this token spells, if it can be a name.
    fn name(&self) -> Option<&str> {
        match self {
            Token::Word(name) | Token::Ident(name) => Some(name),
            Token::Str(text) => text.strip_prefix('\'')?.strip_suffix('\''),
            _ => None,
        }
    }
}

fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let text = |from: usize, to: usize| -> String {
        chars
            .get(from..to.min(chars.len()))
            .unwrap_or_default()
            .iter()
            .collect()
    };
    let at = |i: usize| chars.get(i).copied();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            while at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while at(i).is_some() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            let (end, _) = quoted_end(&chars, i + 1, '\'');
            tokens.push(Token::Str(text(i, end)));
            i = end;
        } else if (c == 'x' || c == 'X') && next == Some('\'') {
            let (end, _) = quoted_end(&chars, i + 2, '\'');
            tokens.push(Token::Str(format!("x{}", text(i + 1, end))));
            i = end;
        } else if c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            let (end, closed) = quoted_end(&chars, i + 1, close);
            let inner = text(i + 1, if closed { end - 1 } else { end });
            let doubled: String = [close, close].iter().collect();
            tokens.push(Token::Ident(inner.replace(&doubled, &close.to_string())));
            i = end;
        } else if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) {
            let start = i;
            let hex = c == '0' && matches!(next, Some('x' | 'X'));
            while let Some(d) = at(i) {
                let exponent_sign = (d == '+' || d == '-')
                    && !hex
                    && i > start
                    && matches!(at(i - 1), Some('e' | 'E'));
                if d.is_ascii_alphanumeric() || d == '.' || d == '_' || exponent_sign {
                    i += 1;
                } else {
                    break;
                }
            }
            tokens.push(Token::Num(text(start, i)));
        } else if c.is_alphabetic() || c == '_' || !c.is_ascii() {
            let start = i;
            while at(i)
                .is_some_and(|d| d.is_alphanumeric() || d == '_' || d == '$' || !d.is_ascii())
            {
                i += 1;
            }
            tokens.push(Token::Word(text(start, i)));
        } else {
            let op = OPERATORS
                .iter()
                .find(|op| op.chars().enumerate().all(|(k, o)| at(i + k) == Some(o)));
            match op {
                Some(op) => {
                    tokens.push(Token::Op(op.to_string()));
                    i += op.chars().count();
                }
                None => {
                    tokens.push(Token::Punct(c));
                    i += 1;
                }
            }
        }
    }
    tokens
}

/// Operators of more than one character (longest first).
const OPERATORS: [&str; 10] = ["->>", "<>", "<=", ">=", "!=", "==", "||", "<<", ">>", "->"];

/// The index just past the closing `close` of a literal whose content starts at `i` (a
/// doubled `close` is an escaped one), and whether it was closed at all.
fn quoted_end(chars: &[char], mut i: usize, close: char) -> (usize, bool) {
    while let Some(&c) = chars.get(i) {
        if c == close {
            if close != ']' && chars.get(i + 1) == Some(&close) {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        i += 1;
    }
    (chars.len(), false)
}

/// An identifier as the normal form writes it: lower case, quoted only when needed.
pub(crate) fn normal_ident(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let simple = lower
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if simple {
        lower
    } else {
        format!("\"{}\"", lower.replace('"', "\"\""))
    }
}

/// An identifier in an object identity: as stored, quoted only when needed.
pub(crate) fn quote_ident(name: &str) -> String {
    let simple = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if simple {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Token> = None;
    for token in tokens {
        let glued = previous.is_some_and(|p| p.is_punct('(') || p.is_punct('.'))
            || token.is_punct(')')
            || token.is_punct(',')
            || token.is_punct('.')
            || token.is_punct(';');
        if previous.is_some() && !glued {
            out.push(' ');
        }
        match token {
            Token::Word(word) => out.push_str(&word.to_ascii_lowercase()),
            Token::Ident(name) => out.push_str(&normal_ident(name)),
            Token::Str(text) => out.push_str(text),
            Token::Num(number) => out.push_str(&number.to_ascii_lowercase()),
            Token::Op(op) => out.push_str(op),
            Token::Punct(c) => out.push(*c),
        }
        previous = Some(token);
    }
    out
}

/// The normal form of a statement: comments dropped, keywords and identifiers in lower
/// case, identifiers quoted only when needed, single spaces (none inside parentheses'
/// edges, before commas or around dots). Literals stay as written.
pub fn normalize(sql: &str) -> String {
    render(&tokenize(sql))
}

/// What the text of a `CREATE TABLE` says beyond what the pragmas report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct TableText {
    pub columns: Vec<ColumnText>,
    pub constraints: Vec<ConstraintText>,
}

/// A column's collation and generated expression (normal form).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ColumnText {
    pub name: String,
    pub collation: Option<String>,
    pub generated: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConstraintKind {
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
pub(crate) struct ConstraintText {
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
pub(crate) fn parse_create_table(sql: &str) -> Option<TableText> {
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
mod tests {
    use super::*;

    #[test]
    fn normal_form_ignores_quoting_case_space_and_comments() {
        let a = normalize("CREATE TABLE \"t\" (\n  id INTEGER PRIMARY KEY, -- key\n  Name TEXT /* x */ NOT NULL\n)");
        let b = normalize("create table t(id integer primary key,name text not null)");
        let c = normalize("create table [T] ( `ID` integer primary key , name text not null )");
        assert_eq!(
            a,
            "create table t (id integer primary key, name text not null)"
        );
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn normal_form_keeps_literals() {
        assert_eq!(
            normalize("CHECK (x <> 'It''s') DEFAULT X'0A' \"Odd Name\" 1.5E+3"),
            "check (x <> 'It''s') default x'0A' \"odd name\" 1.5e+3"
        );
        assert_eq!(normalize("a.b = f(c,d)"), "a.b = f (c, d)");
        assert_eq!(normalize("'unterminated"), "'unterminated");
        assert_eq!(normalize("\"unterminated"), "unterminated");
    }

    #[test]
    fn identities_quote_only_when_needed() {
        assert_eq!(quote_ident("Users"), "Users");
        assert_eq!(quote_ident("my table"), "\"my table\"");
        assert_eq!(quote_ident("1x"), "\"1x\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    fn constraints(sql: &str) -> Vec<(Option<String>, &'static str, Vec<String>, String)> {
        parse_create_table(sql)
            .map(|t| t.constraints)
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.name, c.kind.as_str(), c.columns, c.definition))
            .collect()
    }

    fn owned(
        name: Option<&str>,
        kind: &'static str,
        columns: &[&str],
        def: &str,
    ) -> (Option<String>, &'static str, Vec<String>, String) {
        (
            name.map(str::to_string),
            kind,
            columns.iter().map(|c| c.to_string()).collect(),
            def.to_string(),
        )
    }

    #[test]
    fn column_constraints_read_as_table_constraints() {
        let sql = "CREATE TABLE u (\
            id INTEGER CONSTRAINT pk_u PRIMARY KEY AUTOINCREMENT, \
            email VARCHAR(200) NOT NULL CONSTRAINT uq_u_email UNIQUE ON CONFLICT ABORT, \
            n INT DEFAULT -1 CHECK (n <> 0) COLLATE NOCASE, \
            owner INT REFERENCES \"Users\" (id) ON DELETE SET NULL NOT DEFERRABLE NOT NULL, \
            g INT GENERATED ALWAYS AS (n * 2) STORED, \
            h INT AS (n+1))";
        assert_eq!(
            constraints(sql),
            [
                owned(
                    Some("pk_u"),
                    "primary key",
                    &["id"],
                    "primary key (id) autoincrement"
                ),
                owned(
                    Some("uq_u_email"),
                    "unique",
                    &["email"],
                    "unique (email) on conflict abort"
                ),
                owned(None, "check", &[], "check (n <> 0)"),
                owned(
                    None,
                    "foreign key",
                    &["owner"],
                    "foreign key (owner) references users (id) on delete set null not deferrable"
                ),
            ]
        );
        let table = parse_create_table(sql).unwrap_or_default();
        let columns: Vec<(&str, Option<&str>, Option<&str>)> = table
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.collation.as_deref(),
                    c.generated.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            columns,
            [
                ("id", None, None),
                ("email", None, None),
                ("n", Some("nocase"), None),
                ("owner", None, None),
                ("g", None, Some("n * 2")),
                ("h", None, Some("n + 1")),
            ]
        );
        let fk = table
            .constraints
            .get(3)
            .and_then(|c| c.referred_table.clone());
        assert_eq!(fk.as_deref(), Some("Users"));
    }

    #[test]
    fn table_constraints() {
        let sql = "create table p (a int, b int, \
            constraint pk_p primary key (a, b), unique (b), \
            constraint ck_p check (a > 0 and b > 0), \
            constraint fk_p_u foreign key (b) references u (id) on delete cascade)";
        assert_eq!(
            constraints(sql),
            [
                owned(
                    Some("pk_p"),
                    "primary key",
                    &["a", "b"],
                    "primary key (a, b)"
                ),
                owned(None, "unique", &["b"], "unique (b)"),
                owned(Some("ck_p"), "check", &[], "check (a > 0 and b > 0)"),
                owned(
                    Some("fk_p_u"),
                    "foreign key",
                    &["b"],
                    "foreign key (b) references u (id) on delete cascade"
                ),
            ]
        );
    }

    #[test]
    fn other_forms_are_not_parsed() {
        assert_eq!(parse_create_table("CREATE TABLE t AS SELECT 1"), None);
        assert_eq!(
            parse_create_table("CREATE VIRTUAL TABLE f USING fts5(body)"),
            None
        );
        assert_eq!(parse_create_table("CREATE TABLE t (a int"), None);
        assert_eq!(
            parse_create_table("CREATE TABLE t (a int check (a > 0)"),
            None
        );
        assert!(parse_create_table("CREATE TABLE t (a)").is_some());
    }

    #[test]
    fn never_panics_on_fragments() {
        for sql in [
            "",
            "(",
            ")",
            "create table (",
            "create table t (constraint)",
            "create table t (x default",
            "create table t (x as",
            "x'",
            "[",
            "create table t (check)",
            "create table t (a references)",
        ] {
            let _ = normalize(sql);
            let _ = parse_create_table(sql);
        }
    }
}
