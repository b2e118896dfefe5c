//! Through a transaction-mode pooler a named prepared statement created on one server
//! connection is missing (or already exists) on the next, so every query mig prepares
//! must be unnamed (`.persistent(false)`; `statement_cache_capacity(0)` still names
//! them in sqlx 0.9). This reads the source tree and names each call that is not, so a
//! new command cannot bring the pooler failure back.

use std::path::{Path, PathBuf};

use regex::Regex;

#[test]
fn every_prepared_query_in_src_is_unnamed() {
    let call = Regex::new(r"sqlx::query(?:_as|_scalar)?(?:::<[^()]*?>)?\(").unwrap();
    let mut named = Vec::new();
    for path in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for found in call.find_iter(&text) {
            let statement = after_arguments(&text[found.end()..]);
            if !statement.contains(".persistent(false)") {
                let line = text[..found.start()].lines().count() + 1;
                named.push(format!("{}:{line}", path.display()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "queries prepared as named statements (add `.persistent(false)`):\n{}",
        named.join("\n")
    );
}

/// The call's text after its argument list (whose SQL may hold `;`), up to where the
/// query runs.
fn after_arguments(rest: &str) -> &str {
    let mut depth = 1;
    let mut quoted = false;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quoted => {
                chars.next();
            }
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    let after = &rest[i + 1..];
                    let stop = [";", ".fetch", ".execute"]
                        .iter()
                        .filter_map(|s| after.find(s))
                        .min()
                        .unwrap_or(after.len());
                    return &after[..stop];
                }
            }
            _ => {}
        }
    }
    rest
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
