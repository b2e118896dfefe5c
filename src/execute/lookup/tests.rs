use super::*;
use crate::execute::test_support::linear;

#[test]
fn every_lookup_finds_by_exact_id() {
    let list = linear();
    let map: HashMap<String, Revision> = list.iter().map(|r| (r.id.clone(), r.clone())).collect();
    let tree: BTreeMap<String, Revision> = list.iter().map(|r| (r.id.clone(), r.clone())).collect();
    let slice = list.as_slice();
    let lookups: [&dyn Revisions; 4] = [&list, &slice, &map, &tree];
    for lookup in lookups {
        assert_eq!(
            lookup.revision("bbb222").map(|r| r.id.as_str()),
            Some("bbb222")
        );
        assert!(lookup.revision("bbb").is_none());
    }
}
