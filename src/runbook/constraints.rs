//! Constraint evidence from a catalog snapshot: foreign keys with their delete rules,
//! unique keys, check constraints (listed, not judged: the DoD file says which ones must
//! exist), and the naming conventions (judged, one check per configured template). Pure:
//! reads a snapshot, never a database.

use std::sync::LazyLock;

use regex::Regex;

use super::evidence::{Evidence, Mark};
use super::model::{CheckConstraint, Constraints, ForeignKey, UniqueKey};
use crate::catalog::{Kind, Object, Snapshot};
use crate::config::NamingConvention;
use crate::naming::{self, Convention, NamingError};

static ON_DELETE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bON\s+DELETE\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION)")
        .unwrap_or_else(|_| unreachable!())
});

/// The evidence of `snapshot` (taken at the heads) under `conventions`.
pub fn constraints(
    snapshot: &Snapshot,
    conventions: &NamingConvention,
) -> Result<Constraints, NamingError> {
    let mut out = Constraints::default();
    for object in snapshot.of_kind(Kind::Constraint) {
        if object.attr("parent").is_some() {
            continue;
        }
        match object.text("type") {
            Some("foreign key") => out.foreign_keys.push(foreign_key(object)),
            Some("unique") => out.unique_keys.push(UniqueKey {
                name: object.name.clone(),
                table: qualified_table(object),
                columns: object.list("columns").to_vec(),
                via: "constraint".into(),
            }),
            Some("check") => out.check_constraints.push(CheckConstraint {
                name: object.name.clone(),
                table: qualified_table(object),
                definition: object.text("definition").unwrap_or_default().to_string(),
            }),
            _ => {}
        }
    }
    for object in snapshot.of_kind(Kind::Index) {
        let unique = object.attr("unique").and_then(|v| v.as_bool()) == Some(true);
        let backs_constraint = object.attr("constraint").is_some()
            || out
                .unique_keys
                .iter()
                .any(|k| k.name == object.name && k.table == qualified_table(object));
        if unique && !backs_constraint && object.attr("parent").is_none() {
            out.unique_keys.push(UniqueKey {
                name: object.name.clone(),
                table: qualified_table(object),
                columns: object.list("columns").to_vec(),
                via: "index".into(),
            });
        }
    }
    out.naming = naming_checks(snapshot, conventions)?;
    Ok(out)
}

fn foreign_key(object: &Object) -> ForeignKey {
    let definition = object.text("definition").unwrap_or_default();
    let on_delete = object
        .text("on_delete")
        .map(str::to_string)
        .or_else(|| {
            ON_DELETE
                .captures(&definition.to_ascii_uppercase())
                .and_then(|caps| caps.get(1))
                .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "NO ACTION".into())
        .to_uppercase();
    let referred_table = match (
        object.text("referred_schema"),
        object.text("referred_table"),
    ) {
        (Some(schema), Some(table)) => format!("{schema}.{table}"),
        (None, Some(table)) => table.to_string(),
        _ => String::new(),
    };
    ForeignKey {
        name: object.name.clone(),
        table: qualified_table(object),
        columns: object.list("columns").to_vec(),
        referred_table,
        referred_columns: object.list("referred_columns").to_vec(),
        on_delete,
    }
}

fn qualified_table(object: &Object) -> String {
    match (&object.schema, &object.table) {
        (Some(schema), Some(table)) => format!("{schema}.{table}"),
        (None, Some(table)) => table.clone(),
        _ => String::new(),
    }
}

/// One check per configured convention: how many names it covers, and each violation.
fn naming_checks(
    snapshot: &Snapshot,
    conventions: &NamingConvention,
) -> Result<Vec<Evidence>, NamingError> {
    let violations = naming::check(snapshot, conventions)?;
    let mut checks = Vec::new();
    for (convention, template) in naming::configured(conventions) {
        let covered = covered(snapshot, convention);
        let broken: Vec<String> = violations
            .iter()
            .filter(|v| v.convention == convention)
            .map(|v| v.to_string())
            .collect();
        let title = format!("naming_convention.{convention} = {template}");
        let detail = if broken.is_empty() {
            format!("{covered} {} fit", names(covered))
        } else {
            format!(
                "{} of {covered} {} do not fit: {}",
                broken.len(),
                names(covered),
                broken.join("; ")
            )
        };
        checks.push(Evidence::new(
            title,
            Mark::judged(broken.is_empty()),
            detail,
        ));
    }
    if checks.is_empty() {
        checks.push(Evidence::info(
            "naming conventions",
            "no `naming_convention.*` is configured in `[mig]`",
        ));
    }
    Ok(checks)
}

fn names(n: usize) -> &'static str {
    if n == 1 {
        "name"
    } else {
        "names"
    }
}

/// How many objects a convention applies to (what the naming checker looks at).
fn covered(snapshot: &Snapshot, convention: Convention) -> usize {
    snapshot
        .objects
        .iter()
        .filter(|o| o.attr("parent").is_none())
        .filter(|o| match (o.kind, convention) {
            (Kind::Constraint, _) => matches!(
                (o.text("type"), convention),
                (Some("primary key"), Convention::Pk)
                    | (Some("foreign key"), Convention::Fk)
                    | (Some("unique"), Convention::Uq)
                    | (Some("check"), Convention::Ck)
            ),
            (Kind::Index, Convention::Ix) => o.attr("constraint").is_none(),
            _ => false,
        })
        .count()
}

#[cfg(test)]
mod tests;
