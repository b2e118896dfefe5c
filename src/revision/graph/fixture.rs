//! Test helper: revisions and graphs written in code, and the acceptance-case graphs of
//! the Alembic reference (section 6).

use std::path::PathBuf;

use super::RevisionMap;
use crate::revision::{Downgrade, Revision, Section, TransactionMode};

/// A revision `id` with `down_revision`s; chain `.label()` / `.dep()` for more.
pub(crate) fn rev(id: &str, down: &[&str]) -> Revision {
    Revision {
        id: id.to_owned(),
        down_revisions: down.iter().map(|d| (*d).to_owned()).collect(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("msg {id}"),
        create_date: None,
        transaction: TransactionMode::Default,
        downgrade_keeps: Vec::new(),
        upgrade: Section::default(),
        downgrade: Downgrade::Sql(Section::default()),
        path: PathBuf::from(format!("versions/{id}.sql")),
        lines: Default::default(),
    }
}

pub(crate) trait RevisionExt {
    fn label(self, label: &str) -> Self;
    fn dep(self, dep: &str) -> Self;
}

impl RevisionExt for Revision {
    fn label(mut self, label: &str) -> Self {
        self.branch_labels.push(label.to_owned());
        self
    }

    fn dep(mut self, dep: &str) -> Self {
        self.depends_on.push(dep.to_owned());
        self
    }
}

pub(crate) fn map(revisions: Vec<Revision>) -> RevisionMap {
    match RevisionMap::new(revisions) {
        Ok(map) => map,
        Err(err) => panic!("fixture graph is invalid: {err}"),
    }
}

pub(crate) const A: &str = "1a2b3c4d5e6f";
pub(crate) const B: &str = "2b3c4d5e6f70";
pub(crate) const C: &str = "3c4d5e6f7081";
pub(crate) const D: &str = "3c4d99999999";
pub(crate) const E: &str = "4e5f60718293";

/// L: A <- B <- C <- D <- E.
pub(crate) fn linear() -> RevisionMap {
    map(vec![
        rev(A, &[]),
        rev(B, &[A]),
        rev(C, &[B]),
        rev(D, &[C]),
        rev(E, &[D]),
    ])
}

/// Br: a <- b1, a <- c1.
pub(crate) fn branched() -> RevisionMap {
    map(vec![rev("a", &[]), rev("b1", &["a"]), rev("c1", &["a"])])
}

/// M: Br plus m <- (b1, c1).
pub(crate) fn merged() -> RevisionMap {
    map(vec![
        rev("a", &[]),
        rev("b1", &["a"]),
        rev("c1", &["a"]),
        rev("m", &["b1", "c1"]),
    ])
}

/// BP: a <- b; b <- c1 [c1branch] <- d1; b <- c2 [c2branch] <- d2.
pub(crate) fn branch_point() -> RevisionMap {
    map(vec![
        rev("a", &[]),
        rev("b", &["a"]),
        rev("c1", &["b"]).label("c1branch"),
        rev("c2", &["b"]).label("c2branch"),
        rev("d1", &["c1"]),
        rev("d2", &["c2"]),
    ])
}

/// Dep: a1 [core] <- a2; x1 [feat] <- x2, x2 depends_on a2.
pub(crate) fn dependent() -> RevisionMap {
    map(vec![
        rev("a1", &[]).label("core"),
        rev("a2", &["a1"]),
        rev("x1", &[]).label("feat"),
        rev("x2", &["x1"]).dep("a2"),
    ])
}

/// A linear chain of `n` revisions `r0 <- r1 <- ...`.
pub(crate) fn chain(n: usize) -> RevisionMap {
    map((0..n)
        .map(|i| {
            let id = format!("r{i:05}");
            if i == 0 {
                rev(&id, &[])
            } else {
                rev(&id, &[&format!("r{:05}", i - 1)])
            }
        })
        .collect())
}

/// `diamonds` diamonds in a row: `x{i} <- p{i}, q{i} <- x{i+1}` (x{i+1} merges both).
pub(crate) fn diamonds(diamonds: usize) -> RevisionMap {
    let mut revisions = vec![rev("x0000", &[])];
    for i in 0..diamonds {
        let x = format!("x{i:04}");
        let (p, q, next) = (
            format!("p{i:04}"),
            format!("q{i:04}"),
            format!("x{:04}", i + 1),
        );
        revisions.push(rev(&p, &[&x]));
        revisions.push(rev(&q, &[&x]));
        revisions.push(rev(&next, &[&p, &q]));
    }
    map(revisions)
}

pub(crate) fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}
