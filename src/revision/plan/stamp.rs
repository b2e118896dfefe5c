//! `stamp`: version-table writes that move the rows to the given revisions without
//! running any revision body (Alembic's `ScriptDirectory._stamp_revs`).

use super::heads::{Heads, StampMove};
use super::{Action, Plan, Step};
use crate::revision::graph::{CommandError, RevisionError, RevisionMap, RevisionRef};

/// `stamp <targets...> [--purge]` from the version rows `current_heads`. A stamp plan
/// runs no revision body, so it borrows nothing from `map`.
///
/// Each target moves the rows on its lineage up or down to it in one step, or becomes
/// a new branch row; `base` deletes the rows. With `purge`, the plan starts with
/// [`VersionOp::DeleteAll`](super::VersionOp::DeleteAll) and stamps from no rows: the
/// DELETE is the first op of the first step, or the only op of a step with empty
/// `from` and `to` when nothing else is written (`stamp --purge base`); that carrier
/// step has no `-- Running` line in Alembic.
pub fn stamp(
    map: &RevisionMap,
    current_heads: &[String],
    targets: &[String],
    purge: bool,
) -> Result<Plan<'static>, CommandError> {
    let rows: &[String] = if purge { &[] } else { current_heads };
    let moves = stamp_moves(map, rows, targets).map_err(stamp_error)?;
    let mut heads = Heads::new(map, current_heads);
    let purge_op = purge.then(|| heads.purge());
    let mut steps = Vec::with_capacity(moves.len());
    for step in moves {
        let ops = heads.stamp(&step).map_err(stamp_error)?;
        steps.push(Step {
            action: Action::Stamp,
            from: step.from.iter().map(|id| (*id).to_owned()).collect(),
            to: step.to.iter().map(|id| (*id).to_owned()).collect(),
            ops,
        });
    }
    if let Some(op) = purge_op {
        match steps.first_mut() {
            Some(first) => first.ops.insert(0, op),
            None => steps.push(Step {
                action: Action::Stamp,
                from: Vec::new(),
                to: Vec::new(),
                ops: vec![op],
            }),
        }
    }
    Ok(Plan {
        steps,
        start_heads: current_heads.to_vec(),
        end_heads: heads.into_rows(),
    })
}

fn stamp_error(err: RevisionError) -> CommandError {
    err.wrap_stamp()
}

/// The `StampStep`s Alembic derives for `targets` from `rows`.
fn stamp_moves<'a>(
    map: &'a RevisionMap,
    rows: &[String],
    targets: &[String],
) -> Result<Vec<StampMove<'a>>, RevisionError> {
    let heads: Vec<RevisionRef<'a>> = map.resolve_all(rows)?.into_iter().flatten().collect();
    let base = ["base".to_owned()];
    let targets = if targets.is_empty() {
        &base[..]
    } else {
        targets
    };

    let mut lineage: Vec<RevisionRef<'a>> = Vec::new();
    for target in targets.iter().filter(|t| !t.is_empty()) {
        for head in map.lineage_filter(&heads, target, true)? {
            if !lineage.contains(&head) {
                lineage.push(head);
            }
        }
    }
    let lineage_ids: Vec<&str> = lineage.iter().map(|h| h.id()).collect();

    let mut destinations = map.resolve_all(targets)?;
    if destinations.is_empty() {
        destinations.push(None);
    }
    let mut moves = Vec::new();
    for destination in destinations {
        let Some(destination) = destination else {
            moves.extend(lineage.iter().map(|head| StampMove {
                from: vec![head.id()],
                to: Vec::new(),
                upgrade: false,
                branch_move: true,
            }));
            continue;
        };
        if lineage.contains(&destination) {
            continue;
        }
        let to = vec![destination.id()];
        let heads_above = lineage
            .iter()
            .any(|h| h.is_descendant_of(&destination, true));
        let heads_below = lineage.iter().any(|h| h.is_ancestor_of(&destination, true));
        moves.push(if heads_above || heads_below {
            StampMove {
                from: lineage_ids.clone(),
                to,
                upgrade: !heads_above,
                branch_move: false,
            }
        } else {
            StampMove {
                from: Vec::new(),
                to,
                upgrade: true,
                branch_move: true,
            }
        });
    }
    Ok(moves)
}
