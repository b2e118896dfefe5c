//! Identifier quoting and string literals, as SQLAlchemy renders them for each dialect:
//! a name is quoted only when it needs to be (a reserved word, upper-case letters, a
//! leading digit or `$`, or a character outside `[A-Za-z0-9_$]`). Pure text.

use std::borrow::Cow;

use super::{reserved, Dialect};

impl Dialect {
    /// The character that opens and closes a quoted identifier.
    fn quote_char(self) -> char {
        match self {
            Dialect::Postgresql | Dialect::Sqlite => '"',
            Dialect::Mysql => '`',
        }
    }

    fn reserved_words(self) -> &'static [&'static str] {
        match self {
            Dialect::Postgresql => reserved::POSTGRESQL,
            Dialect::Sqlite => reserved::SQLITE,
            Dialect::Mysql => reserved::MYSQL,
        }
    }

    /// Whether `name` must be quoted to mean exactly `name` (SQLAlchemy's
    /// `IdentifierPreparer._requires_quotes`).
    pub fn requires_quotes(self, name: &str) -> bool {
        let Some(first) = name.chars().next() else {
            return true;
        };
        let lower = name.to_lowercase();
        self.reserved_words().binary_search(&lower.as_str()).is_ok()
            || first.is_ascii_digit()
            || first == '$'
            || !name.chars().all(is_legal)
            || lower != name
    }

    /// `name`, quoted if it needs to be, with the quote character doubled inside.
    pub fn quote_identifier(self, name: &str) -> Cow<'_, str> {
        if !self.requires_quotes(name) {
            return Cow::Borrowed(name);
        }
        let quote = self.quote_char();
        let mut out = String::with_capacity(name.len() + 2);
        out.push(quote);
        for c in name.chars() {
            if c == quote {
                out.push(quote);
            }
            out.push(c);
        }
        out.push(quote);
        Cow::Owned(out)
    }

    /// `schema.name` (each part quoted as needed), or just `name` without a schema.
    pub fn qualified_name(self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(schema) => format!(
                "{}.{}",
                self.quote_identifier(schema),
                self.quote_identifier(name)
            ),
            None => self.quote_identifier(name).into_owned(),
        }
    }

    /// A SQL string literal holding exactly `value`: `'` doubled on every dialect, and
    /// `\` doubled on MySQL, whose default `sql_mode` reads backslash escapes (as
    /// SQLAlchemy's literal rendering does).
    ///
    /// Alembic itself interpolates revision ids into its version-table statements
    /// unescaped, which renders invalid SQL for an id holding a quote; for every other
    /// id the output is the same.
    pub fn string_literal(self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        self.push_string_literal(&mut out, value);
        out
    }

    /// [`string_literal`](Self::string_literal), appended to `out`.
    pub fn push_string_literal(self, out: &mut String, value: &str) {
        out.push('\'');
        for c in value.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if self == Dialect::Mysql => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
    }
}

/// SQLAlchemy matches legal characters with `^[A-Z0-9_$]+$` and Python's case-insensitive
/// Unicode matching, which also accepts the four non-ASCII letters whose case folding
/// lands in `[a-z]`.
fn is_legal(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | 'İ' | 'ı' | 'ſ' | 'K')
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values observed with SQLAlchemy 2.1.9's identifier preparers
    // (`dialect.identifier_preparer.quote(name)`).
    #[test]
    fn quotes_like_sqlalchemy() {
        let cases: &[(&str, &str, &str, &str)] = &[
            // name, postgresql, sqlite, mysql
            (
                "alembic_version",
                "alembic_version",
                "alembic_version",
                "alembic_version",
            ),
            ("My_Ver", "\"My_Ver\"", "\"My_Ver\"", "`My_Ver`"),
            ("user", "\"user\"", "user", "user"),
            ("select", "\"select\"", "\"select\"", "`select`"),
            ("schema", "schema", "schema", "`schema`"),
            ("1abc", "\"1abc\"", "\"1abc\"", "`1abc`"),
            ("a b", "\"a b\"", "\"a b\"", "`a b`"),
            ("a\"b", "\"a\"\"b\"", "\"a\"\"b\"", "`a\"b`"),
            ("a`b", "\"a`b\"", "\"a`b\"", "`a``b`"),
            ("$x", "\"$x\"", "\"$x\"", "`$x`"),
            ("x$", "x$", "x$", "x$"),
            ("élan", "\"élan\"", "\"élan\"", "`élan`"),
            ("ver-x", "\"ver-x\"", "\"ver-x\"", "`ver-x`"),
            ("_x", "_x", "_x", "_x"),
            ("ſ", "ſ", "ſ", "ſ"),
            ("İ", "\"İ\"", "\"İ\"", "`İ`"),
        ];
        for (name, pg, sqlite, mysql) in cases {
            assert_eq!(Dialect::Postgresql.quote_identifier(name), *pg, "{name}");
            assert_eq!(Dialect::Sqlite.quote_identifier(name), *sqlite, "{name}");
            assert_eq!(Dialect::Mysql.quote_identifier(name), *mysql, "{name}");
        }
    }

    #[test]
    fn empty_name_is_quoted() {
        assert_eq!(Dialect::Postgresql.quote_identifier(""), "\"\"");
    }

    #[test]
    fn reserved_word_lists_are_sorted_for_binary_search() {
        for dialect in [Dialect::Postgresql, Dialect::Sqlite, Dialect::Mysql] {
            let words = dialect.reserved_words();
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{dialect:?}");
        }
    }

    #[test]
    fn qualified_names_quote_each_part() {
        assert_eq!(
            Dialect::Postgresql.qualified_name(Some("order"), "Ver"),
            "\"order\".\"Ver\""
        );
        assert_eq!(
            Dialect::Mysql.qualified_name(Some("myschema"), "my_ver"),
            "myschema.my_ver"
        );
        assert_eq!(Dialect::Sqlite.qualified_name(None, "v"), "v");
    }

    // Expected values observed with SQLAlchemy's literal rendering of a String value
    // (`literal_binds=True`) on each dialect.
    #[test]
    fn string_literals_escape_per_dialect() {
        let value = "a\\b%c'd";
        assert_eq!(Dialect::Postgresql.string_literal(value), "'a\\b%c''d'");
        assert_eq!(Dialect::Sqlite.string_literal(value), "'a\\b%c''d'");
        assert_eq!(Dialect::Mysql.string_literal(value), "'a\\\\b%c''d'");
    }
}
