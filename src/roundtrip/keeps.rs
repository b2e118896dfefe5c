//! `Downgrade Keeps:` declarations matched against catalog objects: which leftovers a
//! downgrade may leave behind, and which declared ones it did not. Pure: snapshots in,
//! snapshots out; never reads a database.
//!
//! Vocabulary (documented in the README): the kind is a catalog kind in words (`schema`,
//! `extension`, `table`, `view`, `materialized view`, `foreign table`, `column`,
//! `constraint`, `index`, `sequence`, `function`, `procedure`, `aggregate`, `trigger`,
//! `event trigger`, `policy`, `type`, `grant`, `comment`), with `enum` and `domain` read
//! as `type`; any other word names one of the server's other objects by its own words
//! (`collation public.de`, `cast (text AS public.x)`). The name is the object's identity
//! as snapshots print it (`zero_admin.set_updated_at()`, `public.users.email`), with the
//! schema optional, identifiers case-folded as PostgreSQL folds them, and a function's
//! argument list optional (without one, every overload matches).

use std::fmt;

use crate::catalog::{Kind, Object, Snapshot};
use crate::revision::Keep;

/// One declared keep, ready to match objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeepRule {
    /// The declaration as written (for messages).
    pub declared: Keep,
    kind: Kind,
    /// The canonical form of the identity to match.
    name: String,
    /// Functions declared without an argument list match every overload.
    any_arguments: bool,
}

impl fmt::Display for KeepRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.declared.kind, self.declared.name)
    }
}

impl KeepRule {
    /// Reads one declaration.
    pub fn new(keep: &Keep) -> KeepRule {
        let kind_word = keep.kind.trim().to_ascii_lowercase();
        let (kind, name) = match kind_word.as_str() {
            "enum" | "domain" | "enum type" => (Kind::Type, keep.name.clone()),
            word => match Kind::from_name(word) {
                Some(Kind::Other) | None => (Kind::Other, format!("{word} {}", keep.name)),
                Some(kind) => (kind, keep.name.clone()),
            },
        };
        let routine = matches!(kind, Kind::Function | Kind::Procedure | Kind::Aggregate);
        let any_arguments = routine && !name.contains('(');
        KeepRule {
            declared: keep.clone(),
            kind,
            name: canonical(&name),
            any_arguments,
        }
    }

    /// The catalog kind the declaration names.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Reads every declaration of a revision.
    pub fn all(keeps: &[Keep]) -> Vec<KeepRule> {
        keeps.iter().map(KeepRule::new).collect()
    }

    /// Whether `object` is the kept object itself.
    pub fn matches(&self, object: &Object) -> bool {
        if object.kind != self.kind {
            return false;
        }
        let mut id = canonical(&object.id);
        if self.any_arguments {
            if let Some(open) = id.find('(') {
                id.truncate(open);
            }
        }
        // The schema may be left off: `table users` is `table public.users`.
        id == self.name
            || id
                .strip_suffix(self.name.as_str())
                .is_some_and(|head| head.ends_with('.') && self.kind != Kind::Other)
    }
}

/// What the keeps of a downgrade did to a comparison.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The state before, with the kept objects (and what belongs to them) taken as they
    /// are after the downgrade: comparing it with the state after shows only residue that
    /// was not declared.
    pub before: Option<Snapshot>,
    /// Declared keeps no object after the downgrade matches.
    pub not_left: Vec<KeepRule>,
    /// The objects after the downgrade that a declared keep matches, in snapshot order.
    pub kept: Vec<Object>,
}

/// Accepts the kept objects found in `after`: returns the `before` to compare `after`
/// with, and the declared keeps that `after` lacks.
pub fn apply(rules: &[KeepRule], before: &Snapshot, after: &Snapshot) -> Applied {
    if rules.is_empty() {
        return Applied::default();
    }
    let kept: Vec<&Object> = after
        .objects
        .iter()
        .filter(|o| rules.iter().any(|r| r.matches(o)))
        .collect();
    let not_left = rules
        .iter()
        .filter(|rule| !kept.iter().any(|o| rule.matches(o)))
        .cloned()
        .collect();
    let belongs = |object: &Object| kept.iter().any(|k| belongs_to(object, k));
    let mut objects: Vec<Object> = before
        .objects
        .iter()
        .filter(|o| !belongs(o))
        .cloned()
        .collect();
    objects.extend(after.objects.iter().filter(|o| belongs(o)).cloned());
    Applied {
        before: Some(Snapshot::new(before.dialect, objects)),
        not_left,
        kept: kept.into_iter().cloned().collect(),
    }
}

/// Whether `object` is `kept` or one of its parts: a kept relation's columns,
/// constraints, indexes, triggers, policies and owned sequences, and the comments and
/// grants on any kept object. A kept schema covers only itself: what lives in it is
/// checked as usual.
fn belongs_to(object: &Object, kept: &Object) -> bool {
    if object.kind == kept.kind && object.id == kept.id {
        return true;
    }
    let part_of_relation = kept.kind.is_relation()
        && kept.table.is_some()
        && object.kind != kept.kind
        && object.schema == kept.schema
        && object.table == kept.table;
    let target = object
        .id
        .strip_prefix("on ")
        .and_then(|rest| match object.kind {
            Kind::Comment => Some(rest),
            Kind::Grant => rest.rsplit_once(" to ").map(|(target, _)| target),
            _ => None,
        });
    let on_kept =
        target.is_some_and(|t| t == kept.label() || (kept.kind == Kind::Other && t == kept.id));
    part_of_relation || on_kept
}

/// A name in comparable form: whitespace outside double quotes removed, unquoted text
/// lower-cased (as PostgreSQL folds identifiers), quotes dropped around identifiers that
/// would not need them, and common type aliases inside argument lists spelled the way
/// the server prints them.
fn canonical(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.trim().chars().peekable();
    let mut word = String::new();
    let mut depth = 0usize;
    let flush = |word: &mut String, out: &mut String, depth: usize| {
        if !word.is_empty() {
            let lower = word.to_ascii_lowercase();
            out.push_str(if depth > 0 { alias(&lower) } else { &lower });
            word.clear();
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                flush(&mut word, &mut out, depth);
                let mut quoted = String::new();
                while let Some(q) = chars.next() {
                    if q == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            quoted.push('"');
                            continue;
                        }
                        break;
                    }
                    quoted.push(q);
                }
                if plain_identifier(&quoted) {
                    out.push_str(&quoted);
                } else {
                    out.push('"');
                    out.push_str(&quoted.replace('"', "\"\""));
                    out.push('"');
                }
            }
            c if c.is_whitespace() => {
                // `character varying` stays one word: the space goes, the words join.
                flush(&mut word, &mut out, depth);
            }
            '(' | ')' | ',' | '.' => {
                flush(&mut word, &mut out, depth);
                if c == '(' {
                    depth += 1;
                } else if c == ')' {
                    depth = depth.saturating_sub(1);
                }
                out.push(c);
            }
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out, depth);
    out
}

/// Whether an identifier prints without quotes (`%I` leaves it bare).
fn plain_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
}

/// Argument-type aliases, as `oidvectortypes` prints the types (one word per piece, the
/// spaces already removed by [`canonical`]'s caller).
fn alias(word: &str) -> &str {
    match word {
        "int" | "int4" => "integer",
        "int8" => "bigint",
        "int2" => "smallint",
        "bool" => "boolean",
        "float8" => "doubleprecision",
        "float4" => "real",
        "varchar" => "charactervarying",
        "char" | "bpchar" => "character",
        "timestamptz" => "timestampwithtimezone",
        "timetz" => "timewithtimezone",
        other => other,
    }
}

#[cfg(test)]
mod tests;
