//! SQLite's schema text, token by token. SQLite stores each `CREATE` statement verbatim
//! (and rewrites the name on rename: `CREATE TABLE "t"`), so comparisons use a normal
//! form in which quoting, case, whitespace and comments do not count. Pure text: never
//! panics on odd input.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
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
    pub(super) fn is_word(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }

    pub(super) fn is_punct(&self, c: char) -> bool {
        *self == Token::Punct(c)
    }

    /// The name this token spells, if it can be a name.
    pub(super) fn name(&self) -> Option<&str> {
        match self {
            Token::Word(name) | Token::Ident(name) => Some(name),
            Token::Str(text) => text.strip_prefix('\'')?.strip_suffix('\''),
            _ => None,
        }
    }
}

pub(super) fn tokenize(sql: &str) -> Vec<Token> {
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
pub(super) fn normal_ident(name: &str) -> String {
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
pub(super) fn quote_ident(name: &str) -> String {
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

pub(super) fn render(tokens: &[Token]) -> String {
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
pub(super) fn normalize(sql: &str) -> String {
    render(&tokenize(sql))
}

/// The normal form of an expression, without parentheses around the whole of it (a
/// default stored as `('x')` is the default `'x'`).
pub(super) fn normalize_expression(sql: &str) -> String {
    let tokens = tokenize(sql);
    let mut inner: &[Token] = &tokens;
    while let [Token::Punct('('), middle @ .., Token::Punct(')')] = inner {
        if !balanced(middle) {
            break;
        }
        inner = middle;
    }
    render(inner)
}

/// Whether every `(` in `tokens` closes within them (`(a) + (b)` is not one group).
fn balanced(tokens: &[Token]) -> bool {
    let mut depth = 0usize;
    for token in tokens {
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            }
        }
    }
    depth == 0
}

/// The predicate of a partial index (`... WHERE <predicate>`) in normal form: the text
/// after the last `WHERE` outside parentheses.
pub(super) fn index_predicate(sql: &str) -> Option<String> {
    let tokens = tokenize(sql);
    let mut depth = 0usize;
    let mut at = None;
    for (i, token) in tokens.iter().enumerate() {
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && token.is_word("where") {
            at = Some(i);
        }
    }
    let rest = tokens.get(at? + 1..)?;
    let rest = match rest {
        [body @ .., last] if last.is_punct(';') => body,
        all => all,
    };
    Some(render(rest))
}

#[cfg(test)]
mod tests;
