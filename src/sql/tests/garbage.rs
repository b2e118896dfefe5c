//! Random input never panics the splitter, and every statement it returns points into
//! the input.

use super::*;

/// A tiny deterministic generator (xorshift), so the garbage test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: [&str; 44] = [
    "'", "\"", "`", "$", "$$", "$a$", "$1", "E'", "e", "\\", "--", "-", "#", "/*", "*/", "/*!",
    "[", "]", "(", ")", ";", ";", "\n", "\r\n", " ", "\t", "é", "ß", "😀", "\u{0}", "BEGIN", "END",
    "CASE", "CREATE", "TRIGGER", "FUNCTION", "OR", "REPLACE", "IF", "LOOP", "atomic", "x", "1",
    "*",
];

fn garbage(rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    (0..rng.below(48))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// Byte offset of a 1-based (line, column) in `sql`, if it exists.
fn offset_of(sql: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line == 1 {
        0
    } else {
        sql.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &sql[line_start..];
    let rest_line = rest.split('\n').next()?;
    if column == rest_line.chars().count() + 1 {
        return Some(line_start + rest_line.len());
    }
    rest_line
        .char_indices()
        .nth(column - 1)
        .map(|(offset, _)| line_start + offset)
}

#[test]
fn random_garbage_never_panics_and_statements_point_into_the_input() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let sql = garbage(&mut rng);
        for dialect in ALL {
            let result = split_statements(&sql, dialect);
            assert_eq!(
                result.as_ref().err().cloned(),
                validate(&sql, dialect).err(),
                "{sql:?}"
            );
            match result {
                Ok(statements) => {
                    let mut previous = 0;
                    for statement in statements {
                        assert!(!statement.text.is_empty(), "{sql:?}");
                        assert!(!statement.text.ends_with(char::is_whitespace));
                        let at = offset_of(&sql, statement.line, statement.column)
                            .unwrap_or_else(|| panic!("{statement:?} outside {sql:?}"));
                        assert!(at >= previous, "{sql:?}");
                        assert!(sql[previous..].contains(statement.text), "{sql:?}");
                        previous = at;
                    }
                }
                Err(err) => {
                    assert!(offset_of(&sql, err.line, err.column).is_some(), "{sql:?}");
                }
            }
        }
    }
}
