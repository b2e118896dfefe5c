//! Compares two catalog snapshots: `(before, after) -> Findings`, grouped as extra
//! objects (only in `after`), missing objects (only in `before`) and changed ones
//! (`field: before -> after`, with a unified diff for multi-line bodies). Column order
//! and owners are cosmetic and switchable. Pure: no I/O, no knowledge of backends.

mod render;
mod unified;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{Kind, Object, Snapshot, Value};

pub use unified::unified;

/// Which cosmetic differences count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// Report column order (`position`); off by default: dropping and re-adding a column
    /// moves it to the end, which a downgrade cannot avoid.
    pub column_order: bool,
    /// Report owners; on by default.
    pub owner: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            column_order: false,
            owner: true,
        }
    }
}

/// Why a field change is cosmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cosmetic {
    ColumnOrder,
    Owner,
}

/// An object named by kind and identity: `index public.ix_users_email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: Kind,
    pub id: String,
}

/// One attribute that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    /// `None`: the attribute is absent (no default, no comment, ...).
    pub before: Option<Value>,
    pub after: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cosmetic: Option<Cosmetic>,
    /// A unified diff when either side is multi-line text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// An object present on both sides whose attributes differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    pub kind: Kind,
    pub id: String,
    pub fields: Vec<FieldChange>,
}

/// What differs between two snapshots; each list sorted by kind, then identity.
///
/// The parts of an extra or missing table (columns, constraints, indexes, ...), the
/// contents of an extra or missing schema and the comments and grants on an extra or
/// missing object are not listed on their own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Differences {
    pub extra: Vec<ObjectRef>,
    pub missing: Vec<ObjectRef>,
    pub changed: Vec<Changed>,
}

impl Differences {
    /// SPEC section 5: 1 when the snapshots differ.
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.is_empty())
    }

    /// The findings as pretty JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        crate::json::pretty(self)
    }

    /// Whether the snapshots are the same (under the options used).
    pub fn is_empty(&self) -> bool {
        self.extra.is_empty() && self.missing.is_empty() && self.changed.is_empty()
    }

    /// How many objects differ.
    pub fn len(&self) -> usize {
        self.extra.len() + self.missing.len() + self.changed.len()
    }
}

/// Compares `before` with `after`: `extra` are objects only `after` has (in a roundtrip:
/// residue a downgrade left behind), `missing` those only `before` has.
pub fn diff(before: &Snapshot, after: &Snapshot, opts: &DiffOptions) -> Differences {
    let old = index(before);
    let new = index(after);
    let mut findings = Differences {
        extra: only_in(&new, &old),
        missing: only_in(&old, &new),
        changed: Vec::new(),
    };
    for (key, old_object) in &old {
        if let Some(new_object) = new.get(key) {
            let fields = changed_fields(old_object, new_object, opts);
            if !fields.is_empty() {
                findings.changed.push(Changed {
                    kind: old_object.kind,
                    id: old_object.id.clone(),
                    fields,
                });
            }
        }
    }
    findings
}

type Key<'s> = (Kind, &'s str);

fn index(snapshot: &Snapshot) -> BTreeMap<Key<'_>, &Object> {
    snapshot
        .objects
        .iter()
        .map(|o| ((o.kind, o.id.as_str()), o))
        .collect()
}

/// Objects of `these` that `those` lacks, without the parts of a listed relation or
/// the contents of a listed schema.
fn only_in(these: &BTreeMap<Key, &Object>, those: &BTreeMap<Key, &Object>) -> Vec<ObjectRef> {
    let lacking: Vec<&Object> = these
        .iter()
        .filter(|(key, _)| !those.contains_key(*key))
        .map(|(_, object)| *object)
        .collect();
    let is_part = |object: &Object| {
        lacking.iter().any(|parent| {
            let same_schema = parent.schema == object.schema;
            let in_schema = parent.kind == Kind::Schema
                && object.kind != Kind::Schema
                && object.schema.as_deref() == Some(parent.name.as_str());
            let on_relation = parent.kind.is_relation()
                && !std::ptr::eq(*parent, object)
                && same_schema
                && parent.table.is_some()
                && parent.table == object.table;
            let on_object = target(object).is_some_and(|t| {
                t == parent.label() || (parent.kind == Kind::Other && t == parent.id)
            });
            in_schema || on_relation || on_object
        })
    };
    lacking
        .iter()
        .filter(|object| !is_part(object))
        .map(|object| ObjectRef {
            kind: object.kind,
            id: object.id.clone(),
        })
        .collect()
}

/// The object a comment or grant is on, as `kind id`.
fn target(object: &Object) -> Option<&str> {
    let rest = object.id.strip_prefix("on ")?;
    match object.kind {
        Kind::Comment => Some(rest),
        Kind::Grant => rest.rsplit_once(" to ").map(|(target, _grantee)| target),
        _ => None,
    }
}

fn changed_fields(before: &Object, after: &Object, opts: &DiffOptions) -> Vec<FieldChange> {
    let mut keys: Vec<&String> = before.attrs.keys().chain(after.attrs.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut fields = Vec::new();
    for key in keys {
        let old = before.attrs.get(key);
        let new = after.attrs.get(key);
        if old == new {
            continue;
        }
        let cosmetic = match key.as_str() {
            "position" if before.kind == Kind::Column => Some(Cosmetic::ColumnOrder),
            "owner" => Some(Cosmetic::Owner),
            _ => None,
        };
        let wanted = match cosmetic {
            Some(Cosmetic::ColumnOrder) => opts.column_order,
            Some(Cosmetic::Owner) => opts.owner,
            None => true,
        };
        if !wanted {
            continue;
        }
        fields.push(FieldChange {
            field: key.clone(),
            before: old.cloned(),
            after: new.cloned(),
            cosmetic,
            diff: body_diff(old, new),
        });
    }
    fields
}

/// A unified diff when both sides are text (or absent) and one spans several lines.
fn body_diff(before: Option<&Value>, after: Option<&Value>) -> Option<String> {
    let (old, new) = (text_or_empty(before)?, text_or_empty(after)?);
    if !old.contains('\n') && !new.contains('\n') {
        return None;
    }
    Some(unified(old, new)).filter(|d| !d.is_empty())
}

fn text_or_empty(value: Option<&Value>) -> Option<&str> {
    match value {
        None => Some(""),
        Some(value) => value.as_text(),
    }
}

#[cfg(test)]
mod tests;
