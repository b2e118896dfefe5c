//! The statement being scanned: where its text and first token start, and whether a
//! `;` ends it, which takes recognising the few statements whose bodies hold `BEGIN ...
//! END` blocks with semicolons inside. Sees words, never bytes.

use crate::dialect::Dialect;

/// The statement being scanned.
pub(super) struct Pending {
    dialect: Dialect,
    pub(super) text_start: Option<usize>,
    pub(super) token_start: Option<usize>,
    /// Whether a newline came since the previous statement's `;`: comments on that line
    /// trail the previous statement and belong to neither.
    pub(super) fresh_line: bool,
    /// Leading keywords, enough to recognise the statements that have block bodies.
    lead: [Keyword; LEAD],
    words: usize,
    pub(super) parens: usize,
    /// `BEGIN`/`CASE` ... `END` nesting inside a block-bodied statement.
    depth: usize,
    /// MySQL: the previous token was `END` (and whether it closed a counted block), so
    /// that `END IF`, `END LOOP`, `END WHILE`, `END REPEAT`, `END CASE` close one block.
    after_end: Option<bool>,
}

const LEAD: usize = 8;

impl Pending {
    pub(super) fn new(dialect: Dialect) -> Self {
        Pending {
            dialect,
            text_start: None,
            token_start: None,
            fresh_line: false,
            lead: [Keyword::Other; LEAD],
            words: 0,
            parens: 0,
            depth: 0,
            after_end: None,
        }
    }

    pub(super) fn comment(&mut self, pos: usize) {
        if self.token_start.is_none() && self.fresh_line && self.text_start.is_none() {
            self.text_start = Some(pos);
        }
    }

    /// Marks a token at `pos` without touching the `END` lookahead.
    pub(super) fn start(&mut self, pos: usize) {
        if self.text_start.is_none() {
            self.text_start = Some(pos);
        }
        if self.token_start.is_none() {
            self.token_start = Some(pos);
        }
    }

    /// Marks a token that is not a word at `pos`.
    pub(super) fn token(&mut self, pos: usize) {
        self.start(pos);
        self.after_end = None;
    }

    /// Whether a `;` here ends the statement.
    pub(super) fn ends_here(&self) -> bool {
        self.depth == 0 && (self.dialect != Dialect::Postgresql || self.parens == 0)
    }

    pub(super) fn word(&mut self, keyword: Keyword) {
        if let Some(slot) = self.lead.get_mut(self.words) {
            *slot = keyword;
        }
        self.words += 1;
        if let Some(closed) = self.after_end.take() {
            match keyword {
                Keyword::If | Keyword::Loop | Keyword::While | Keyword::Repeat => {
                    // `END IF` closes a construct that was never counted.
                    if closed {
                        self.depth += 1;
                    }
                    return;
                }
                Keyword::Case => return,
                _ => {}
            }
        }
        if !self.has_block_body() {
            return;
        }
        // psql counts only outside parentheses; elsewhere CASE ... END balances anyway.
        if self.dialect == Dialect::Postgresql && self.parens > 0 {
            return;
        }
        match keyword {
            Keyword::Begin => self.depth += 1,
            Keyword::Case if self.depth > 0 => self.depth += 1,
            Keyword::End => {
                let closed = self.depth > 0;
                self.depth = self.depth.saturating_sub(1);
                if self.dialect == Dialect::Mysql {
                    self.after_end = Some(closed);
                }
            }
            _ => {}
        }
    }

    /// Whether this statement is one whose body may hold `BEGIN ... END` with semicolons:
    /// PostgreSQL `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (psql's rule, for
    /// `BEGIN ATOMIC`), SQLite `CREATE [TEMP] TRIGGER`, MySQL `CREATE ... PROCEDURE|
    /// FUNCTION|TRIGGER|EVENT` (after `DEFINER = ...` and the like).
    fn has_block_body(&self) -> bool {
        use Keyword::*;
        let lead = &self.lead;
        if lead[0] != Create {
            return false;
        }
        match self.dialect {
            Dialect::Postgresql => {
                matches!(lead[1], Function | Procedure)
                    || (lead[1] == Or
                        && lead[2] == Replace
                        && matches!(lead[3], Function | Procedure))
            }
            Dialect::Sqlite => {
                lead[1] == Trigger || (matches!(lead[1], Temp | Temporary) && lead[2] == Trigger)
            }
            Dialect::Mysql => lead[1..]
                .iter()
                .any(|k| matches!(k, Function | Procedure | Trigger | Event)),
        }
    }
}

/// The keywords the scanner cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Create,
    Or,
    Replace,
    Function,
    Procedure,
    Trigger,
    Temp,
    Temporary,
    Event,
    Begin,
    Case,
    End,
    If,
    Loop,
    While,
    Repeat,
    Other,
}

impl Keyword {
    pub(super) fn of(word: &[u8]) -> Keyword {
        const KEYWORDS: [(&[u8], Keyword); 16] = [
            (b"create", Keyword::Create),
            (b"or", Keyword::Or),
            (b"replace", Keyword::Replace),
            (b"function", Keyword::Function),
            (b"procedure", Keyword::Procedure),
            (b"trigger", Keyword::Trigger),
            (b"temp", Keyword::Temp),
            (b"temporary", Keyword::Temporary),
            (b"event", Keyword::Event),
            (b"begin", Keyword::Begin),
            (b"case", Keyword::Case),
            (b"end", Keyword::End),
            (b"if", Keyword::If),
            (b"loop", Keyword::Loop),
            (b"while", Keyword::While),
            (b"repeat", Keyword::Repeat),
        ];
        if word.len() > 9 {
            return Keyword::Other;
        }
        KEYWORDS
            .iter()
            .find(|(text, _)| word.eq_ignore_ascii_case(text))
            .map_or(Keyword::Other, |&(_, keyword)| keyword)
    }
}
