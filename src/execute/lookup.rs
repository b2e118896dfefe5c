//! How the executor finds revision bodies: a small lookup trait, so the executor does not
//! depend on how the revision graph stores revisions. Lookup only; no graph logic.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::revision::graph::RevisionMap;
use crate::revision::Revision;

/// Looks revisions up by id; the executor reads bodies through it so it does not depend
/// on how the revision graph stores them.
pub trait Revisions {
    /// The revision with exactly this id.
    fn revision(&self, id: &str) -> Option<&Revision>;
}

impl<T: Revisions + ?Sized> Revisions for &T {
    fn revision(&self, id: &str) -> Option<&Revision> {
        (**self).revision(id)
    }
}

impl<S: BuildHasher> Revisions for HashMap<String, Revision, S> {
    fn revision(&self, id: &str) -> Option<&Revision> {
        self.get(id)
    }
}

impl Revisions for BTreeMap<String, Revision> {
    fn revision(&self, id: &str) -> Option<&Revision> {
        self.get(id)
    }
}

impl Revisions for [Revision] {
    fn revision(&self, id: &str) -> Option<&Revision> {
        self.iter().find(|r| r.id == id)
    }
}

impl Revisions for Vec<Revision> {
    fn revision(&self, id: &str) -> Option<&Revision> {
        self.as_slice().revision(id)
    }
}

impl Revisions for RevisionMap {
    fn revision(&self, id: &str) -> Option<&Revision> {
        self.get(id).map(|r| r.revision())
    }
}

#[cfg(test)]
mod tests;
