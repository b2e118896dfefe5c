//! The extensions a project's revisions create: every `CREATE EXTENSION [IF NOT EXISTS]
//! name` statement of an upgrade section, found with the statement splitter so that
//! comments and strings never count. Pure: reads revision text only.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::dialect::Dialect;
use crate::revision::Revision;

static CREATE_EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    // Matched against the statement upper-cased (ASCII), which keeps byte offsets.
    Regex::new(
        r#"^CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[A-Z_][A-Z0-9_$-]*)"#,
    )
    .unwrap_or_else(|_| unreachable!())
});

/// Extension name -> the revisions whose upgrade creates it, in the order given.
pub fn required_extensions<'r>(
    revisions: impl IntoIterator<Item = &'r Revision>,
) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for revision in revisions {
        // A section the splitter cannot split is refused by the executor anyway.
        let Ok(statements) =
            crate::sql::split_statements(&revision.upgrade.sql, Dialect::Postgresql)
        else {
            continue;
        };
        for statement in statements {
            let text = strip_leading_comments(statement.text);
            let Some(name) = CREATE_EXTENSION
                .captures(&text.to_ascii_uppercase())
                .and_then(|caps| caps.get(1))
                .and_then(|m| text.get(m.range()))
            else {
                continue;
            };
            let name = unquote(name);
            let users = found.entry(name).or_default();
            if !users.contains(&revision.id) {
                users.push(revision.id.clone());
            }
        }
    }
    found
}

/// The statement without the comments the splitter keeps at its start.
fn strip_leading_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = text.strip_prefix("/*") {
            // Nested block comments: count depth.
            let mut depth = 1usize;
            let mut at = 0;
            let bytes = rest.as_bytes();
            while depth > 0 && at + 1 < bytes.len() {
                match (bytes[at], bytes[at + 1]) {
                    (b'/', b'*') => {
                        depth += 1;
                        at += 2;
                    }
                    (b'*', b'/') => {
                        depth -= 1;
                        at += 2;
                    }
                    _ => at += 1,
                }
            }
            text = rest.get(at..).unwrap_or("");
        } else {
            return text;
        }
    }
}

/// An identifier as PostgreSQL folds it: quoted names verbatim, others lower-cased.
fn unquote(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => name.to_lowercase(),
    }
}

#[cfg(test)]
mod tests;
