//! The revision graph: Alembic's `RevisionMap` rebuilt over revisions in load order.
//!
//! Building validates the graph (unknown parents and dependencies, cycles, duplicate
//! branch labels) and derives heads, bases, children, propagated branch labels and
//! normalized `depends_on` edges. The submodules resolve symbols (`head`, `label@+1`,
//! prefixes), sort revisions the way Alembic walks them, and select the revisions an
//! upgrade, downgrade or `history` range covers.
//!
//! Pure: no file or database access. Revisions are indexed by integer (load order) and
//! every traversal uses an explicit stack, so a 10,000-revision chain neither overflows
//! the stack nor costs more than linear time to walk.

mod build;
mod collect;
mod cycles;
mod error;
mod history;
mod plan_support;
mod relative;
mod resolve;
mod toposort;
mod traverse;

#[cfg(test)]
mod tests;

use foldhash::HashMap;

pub use error::{CommandError, Direction, GraphError, RevisionError};
pub use history::parse_history_range;
pub(crate) use plan_support::AncestryProbe;

use super::Revision;

/// Alembic's `RevisionMap`: every revision, indexed, with the derived graph facts. The
/// default is the empty graph.
#[derive(Debug, Clone, Default)]
pub struct RevisionMap {
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    /// Declared branch labels. Alembic keeps them in the same map as ids, so a label
    /// resolves wherever an id does.
    by_label: HashMap<String, usize>,
    /// Labels in the order Alembic's map holds them (after all ids): load order of the
    /// declaring revision, then declaration order.
    label_order: Vec<(String, usize)>,
    heads: Vec<usize>,
    real_heads: Vec<usize>,
    bases: Vec<usize>,
    real_bases: Vec<usize>,
    /// Every revision after all it depends on (parents first).
    topo: Vec<usize>,
}

/// One revision plus the edges and facts Alembic derives for it.
#[derive(Debug, Clone)]
struct Node {
    revision: Revision,
    /// `down_revision`, in header order (duplicates dropped).
    parents: Vec<usize>,
    /// `depends_on`, resolved to revisions (Alembic's `_resolved_dependencies`).
    deps: Vec<usize>,
    /// `parents` + `deps`, deduplicated (`_all_down_revisions`).
    all_down: Vec<usize>,
    /// `parents` + the dependencies no versioned ancestor already depends on
    /// (`_normalized_down_revisions`).
    normalized_down: Vec<usize>,
    /// Revisions naming this one in `down_revision` (`nextrev`), in load order.
    children: Vec<usize>,
    /// Revisions naming this one in `down_revision` or `depends_on` (`_all_nextrev`).
    all_children: Vec<usize>,
    /// Branch labels after Alembic's propagation.
    labels: Vec<String>,
    /// Longest path from a base over `all_down` edges: strictly increases along every
    /// edge, which lets reachability searches stop early.
    depth: u32,
}

impl RevisionMap {
    /// Builds and validates the graph from revisions in load order (sorted file path
    /// order, Alembic's tie-breaker for every walk).
    pub fn new(revisions: Vec<Revision>) -> Result<Self, GraphError> {
        build::build(revisions)
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions at all.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The revision with exactly this id (no symbols, labels or prefixes).
    pub fn get(&self, id: &str) -> Option<RevisionRef<'_>> {
        self.by_id.get(id).map(|&index| self.at(index))
    }

    /// All revisions in load order.
    pub fn revisions(&self) -> impl Iterator<Item = RevisionRef<'_>> + '_ {
        (0..self.nodes.len()).map(|index| self.at(index))
    }

    /// Alembic's `heads`: revisions no other revision names in `down_revision`,
    /// including *effective* heads that are only `depends_on` targets. Load order.
    pub fn heads(&self) -> Vec<RevisionRef<'_>> {
        self.refs(&self.heads)
    }

    /// Heads that nothing depends on either (`heads --resolve-dependencies`, and what
    /// the symbol `heads` resolves to). Load order.
    pub fn real_heads(&self) -> Vec<RevisionRef<'_>> {
        self.refs(&self.real_heads)
    }

    /// Revisions without `down_revision`. Load order.
    pub fn bases(&self) -> Vec<RevisionRef<'_>> {
        self.refs(&self.bases)
    }

    /// Bases that depend on nothing either. Load order.
    pub fn real_bases(&self) -> Vec<RevisionRef<'_>> {
        self.refs(&self.real_bases)
    }

    fn at(&self, index: usize) -> RevisionRef<'_> {
        RevisionRef { map: self, index }
    }

    fn refs(&self, indices: &[usize]) -> Vec<RevisionRef<'_>> {
        indices.iter().map(|&index| self.at(index)).collect()
    }

    fn node(&self, index: usize) -> &Node {
        &self.nodes[index]
    }

    fn id(&self, index: usize) -> &str {
        &self.nodes[index].revision.id
    }

    fn ids(&self, indices: &[usize]) -> Vec<String> {
        indices.iter().map(|&i| self.id(i).to_owned()).collect()
    }
}

/// A revision inside a [`RevisionMap`], with the facts the graph derives for it.
#[derive(Debug, Clone, Copy)]
pub struct RevisionRef<'a> {
    map: &'a RevisionMap,
    index: usize,
}

impl PartialEq for RevisionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.map, other.map) && self.index == other.index
    }
}

impl Eq for RevisionRef<'_> {}

impl<'a> RevisionRef<'a> {
    fn node(&self) -> &'a Node {
        self.map.node(self.index)
    }

    fn names(&self, indices: &'a [usize]) -> Vec<&'a str> {
        indices.iter().map(|&i| self.map.id(i)).collect()
    }

    /// The parsed revision file.
    pub fn revision(&self) -> &'a Revision {
        &self.node().revision
    }

    /// The revision id.
    pub fn id(&self) -> &'a str {
        &self.node().revision.id
    }

    /// Position in load order.
    pub fn load_index(&self) -> usize {
        self.index
    }

    /// `down_revision` ids in header order.
    pub fn down_revisions(&self) -> Vec<&'a str> {
        self.names(&self.node().parents)
    }

    /// `depends_on`, resolved to revision ids (labels replaced by their revision).
    pub fn dependencies(&self) -> Vec<&'a str> {
        self.names(&self.node().deps)
    }

    /// `down_revision` plus the dependencies not already implied through a versioned
    /// ancestor: what an upgrade of this revision comes from.
    pub fn normalized_down_revisions(&self) -> Vec<&'a str> {
        self.names(&self.node().normalized_down)
    }

    /// Revisions that name this one in `down_revision`, in load order.
    pub fn children(&self) -> Vec<&'a str> {
        self.names(&self.node().children)
    }

    /// Branch labels after propagation (own labels first).
    pub fn branch_labels(&self) -> &'a [String] {
        &self.node().labels
    }

    /// No revision names this one in `down_revision` (Alembic's `is_head`).
    pub fn is_head(&self) -> bool {
        self.node().children.is_empty()
    }

    /// Nothing names this one in `down_revision` or `depends_on`.
    pub fn is_real_head(&self) -> bool {
        self.node().all_children.is_empty()
    }

    /// A head only because other revisions merely depend on it (`(effective head)`).
    pub fn is_effective_head(&self) -> bool {
        self.is_head() && !self.is_real_head()
    }

    /// No `down_revision`.
    pub fn is_base(&self) -> bool {
        self.node().parents.is_empty()
    }

    /// More than one revision names this one in `down_revision`.
    pub fn is_branch_point(&self) -> bool {
        self.node().children.len() > 1
    }

    /// More than one `down_revision`.
    pub fn is_merge_point(&self) -> bool {
        self.node().parents.len() > 1
    }
}
