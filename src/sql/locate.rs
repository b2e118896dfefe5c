//! Byte offsets to 1-based line and column (in characters). Moves forward only, so that
//! locating every statement of a text costs one pass over it.

pub(super) struct Locator<'a> {
    sql: &'a str,
    pos: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    pub(super) fn new(sql: &'a str) -> Self {
        Locator {
            sql,
            pos: 0,
            line: 1,
            column: 1,
        }
    }

    /// Line and column of the byte offset `target`. Offsets are expected in increasing
    /// order; an earlier one restarts from the top (correct, only slower).
    pub(super) fn locate(&mut self, target: usize) -> (usize, usize) {
        if target < self.pos {
            *self = Locator::new(self.sql);
        }
        let Some(skipped) = self.sql.get(self.pos..target) else {
            return (self.line, self.column);
        };
        for ch in skipped.chars() {
            if ch == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.pos = target;
        (self.line, self.column)
    }
}
