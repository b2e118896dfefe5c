//! The shape of `src/` that CONTRIBUTING.md promises, read from the files: no module
//! depends on a sibling that depends back on it (at any depth), module files are
//! `foo.rs` + `foo/` (never `mod.rs`), and no file is over 450 lines. A module's own
//! children and its ancestors do not count as cycles (a parent re-exports its children's
//! items); test modules and the test-support builders are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::support::repo;

type Module = Vec<String>;

/// Every `.rs` file under `src/` with its module path (`src/db/lock.rs` -> `db::lock`).
fn modules() -> BTreeMap<Module, PathBuf> {
    let root = repo().join("src");
    let mut found = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(&root)
                    .expect("under src")
                    .with_extension("");
                let mut module: Module = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(module.last().map(String::as_str), Some("lib" | "main")) {
                    module.pop();
                }
                found.insert(module, path);
            }
        }
    }
    found
}

/// `text` without comments and string literals (so that paths in docs and messages do
/// not count).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

/// The paths of a `use` tree: `a::{b, c::{d}}` -> `a::b`, `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or("").trim().to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut current) = (Vec::new(), 0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p))
        .map(|p| match p.as_str() {
            "self" => prefix.trim_end_matches("::").to_string(),
            _ => format!("{prefix}{p}"),
        })
        .collect()
}

/// The module a path in `from` names (the longest module prefix), if any.
fn resolve(from: &Module, path: &str, all: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut target: Module = match *segments.peek()? {
        "crate" => {
            segments.next();
            Vec::new()
        }
        "super" => {
            let mut base = from.clone();
            while segments.peek() == Some(&"super") {
                segments.next();
                base.pop();
            }
            base
        }
        "self" => {
            segments.next();
            from.clone()
        }
        first => {
            let mut child = from.clone();
            child.push(first.to_string());
            if !all.contains_key(&child) {
                return None;
            }
            from.clone()
        }
    };
    for segment in segments {
        target.push(segment.to_string());
        if !all.contains_key(&target) {
            target.pop();
            break;
        }
    }
    Some(target)
}

fn is_test_support(module: &Module) -> bool {
    module
        .iter()
        .any(|m| m == "tests" || m == "fixture" || m.ends_with("_tests"))
}

/// Edges between siblings: `a::x -> a::y` when anything in `a::x` (or below it) names
/// `a::y` (or below it).
fn edges(all: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let paths = regex::Regex::new(r"\b(?:crate|super|self)(?:::\w+)+").expect("regex");
    let uses = regex::Regex::new(r"\buse\s+([^;]+);").expect("regex");
    let test_modules = regex::Regex::new(r"#\[cfg\(test\)\]\s*mod \w+\s*;").expect("regex");
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in all.iter().filter(|(m, _)| !is_test_support(m)) {
        let text = std::fs::read_to_string(file).expect("read");
        let code = code_only(&text);
        let code = test_modules.replace_all(&code, "");
        let mut named: Vec<String> = uses
            .captures_iter(&code)
            .flat_map(|c| expand(&c[1]))
            .collect();
        named.extend(paths.find_iter(&code).map(|m| m.as_str().to_string()));
        for path in named {
            let Some(target) = resolve(module, &path, all) else {
                continue;
            };
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                edges
                    .entry(module[..=common].to_vec())
                    .or_default()
                    .insert(target[..=common].to_vec());
            }
        }
    }
    edges
}

/// Each cycle as `a -> b -> a`.
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let mut found = Vec::new();
    for start in edges.keys() {
        // Depth-first from `start`, reporting paths back to it through larger nodes only,
        // so each cycle is listed once.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = path.iter().map(|m| m.join("::")).collect();
                    found.push(format!("{} -> {}", names.join(" -> "), start.join("::")));
                } else if next > start && !path.contains(next) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

#[test]
fn no_module_depends_on_a_sibling_that_depends_back_on_it() {
    let all = modules();
    assert!(all.len() > 100, "read {} modules", all.len());
    let edges = edges(&all);
    // The reader sees real dependencies (so that an empty result means something).
    let engine = vec!["engine".to_string()];
    assert!(edges[&engine].contains(&vec!["db".to_string()]));
    let found = cycles(&edges);
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_reader_finds_a_cycle() {
    let a = |s: &str| s.split("::").map(String::from).collect::<Module>();
    let mut edges = BTreeMap::new();
    edges.insert(a("x"), BTreeSet::from([a("y")]));
    edges.insert(a("y"), BTreeSet::from([a("z")]));
    edges.insert(a("z"), BTreeSet::from([a("x")]));
    assert_eq!(cycles(&edges), ["x -> y -> z -> x"]);
    assert_eq!(
        expand("super::{a, b::{c, self}, d as e}"),
        ["super::a", "super::b::c", "super::b", "super::d"]
    );
}

#[test]
fn module_files_are_foo_rs_and_none_is_over_450_lines() {
    let mut problems = Vec::new();
    for file in modules().values() {
        let shown = file
            .strip_prefix(repo())
            .unwrap_or(file)
            .display()
            .to_string();
        if file.file_name().is_some_and(|n| n == "mod.rs") {
            problems.push(format!("{shown}: a mod.rs (use foo.rs beside foo/)"));
        }
        let lines = std::fs::read_to_string(file).expect("read").lines().count();
        if lines > 450 {
            problems.push(format!("{shown}: {lines} lines"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
