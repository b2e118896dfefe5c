//! `--mode steps`: every revision of the range on its own, in upgrade order. For each
//! revision R: apply it, undo it and compare with the state before it (residue), apply it
//! again and compare with the state after it. Then undo the whole range and compare with
//! the starting state (stopping at an irreversible revision and comparing with the state
//! first seen there), and apply it again. Stops at the first step the database refuses.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::catalog::Snapshot;

use super::driver::{ran, Driver};
use super::plans;
use super::report::{Check, CheckKind};
use super::RoundtripError;

/// The states seen so far, by the version table's rows (sorted): the first snapshot
/// taken at each.
type Seen = BTreeMap<Vec<String>, Snapshot>;

/// Runs the checks; the database is already at the start of the range.
pub(super) async fn run(
    driver: &Driver<'_>,
    to: &str,
    checks: &mut Vec<Check>,
) -> Result<Option<Snapshot>, RoundtripError> {
    let start_heads = driver.heads().await?;
    let order = plans::upgrade_order(driver.map, &start_heads, to)?;
    let start = driver.snapshot().await?;
    let mut seen = Seen::new();
    seen.insert(sorted(start_heads.clone()), start.clone());
    let mut current = start;
    for (n, id) in order.iter().enumerate() {
        tracing::info!(target: "mig", "roundtrip: revision {} of {}: `{id}`", n + 1, order.len());
        match revision(driver, id, current, &mut seen, checks).await {
            Some(now) => current = now,
            None => {
                for rest in order.iter().skip(n + 1) {
                    checks.push(Check::skipped(
                        Some(rest),
                        CheckKind::Upgrade,
                        format!("not reached: `{id}` failed"),
                    ));
                }
                return Ok(None);
            }
        }
    }
    if order.is_empty() {
        return Ok(Some(current));
    }
    let end_heads = driver.heads().await?;
    let Some(()) = undo_all(driver, &start_heads, &seen, checks).await else {
        return Ok(None);
    };
    Ok(redo_all(driver, to, &end_heads, &seen, checks).await)
}

/// The three checks of one revision; `None` when the database refused a step (the run
/// stops), else the state after the revision was applied again.
async fn revision(
    driver: &Driver<'_>,
    id: &str,
    before: Snapshot,
    seen: &mut Seen,
    checks: &mut Vec<Check>,
) -> Option<Snapshot> {
    let rev = Some(id);
    let clock = Instant::now();
    let (applied, after) = driver
        .then_snapshot(
            driver.upgrade(id).await,
            checks,
            (rev, CheckKind::Upgrade, clock),
        )
        .await?;
    checks.push(Check::ran(
        rev,
        CheckKind::Upgrade,
        Vec::new(),
        clock.elapsed(),
    ));
    seen.entry(sorted(applied.end_heads))
        .or_insert_with(|| after.clone());

    if plans::is_irreversible(driver.map, id) {
        checks.push(Check::skipped(
            rev,
            CheckKind::Downgrade,
            format!("`{id}` is marked irreversible: its downgrade cannot run"),
        ));
        checks.push(Check::skipped(
            rev,
            CheckKind::UpgradeAgain,
            "not downgraded".to_string(),
        ));
        return Some(after);
    }

    let clock = Instant::now();
    let (_, down) = driver
        .then_snapshot(
            driver.downgrade_one(id).await,
            checks,
            (rev, CheckKind::Downgrade, clock),
        )
        .await?;
    let keeps = driver.keeps_of([id.to_string()]);
    let findings = driver.compare_keeping(&before, &down, &keeps, true);
    checks.push(Check::ran(
        rev,
        CheckKind::Downgrade,
        findings,
        clock.elapsed(),
    ));

    let clock = Instant::now();
    let (_, again) = driver
        .then_snapshot(
            driver.upgrade(id).await,
            checks,
            (rev, CheckKind::UpgradeAgain, clock),
        )
        .await?;
    let findings = driver.compare(&after, &again);
    checks.push(Check::ran(
        rev,
        CheckKind::UpgradeAgain,
        findings,
        clock.elapsed(),
    ));
    Some(again)
}

/// Undoes the whole range back to `start_heads` and compares with the state first seen
/// where it stopped; `None` when the database refused.
async fn undo_all(
    driver: &Driver<'_>,
    start_heads: &[String],
    seen: &Seen,
    checks: &mut Vec<Check>,
) -> Option<()> {
    let kind = CheckKind::DowngradeAll;
    let target = match start_heads {
        [] => "base".to_string(),
        [one] => one.clone(),
        _ => {
            checks.push(Check::skipped(
                None,
                kind,
                "the range started from several heads; there is no single target to go back to"
                    .to_string(),
            ));
            return Some(());
        }
    };
    tracing::info!(target: "mig", "roundtrip: downgrading the whole range to `{target}`");
    let clock = Instant::now();
    let (outcome, stopped) = match driver.downgrade_until_irreversible(&target).await {
        Ok(done) => done,
        Err(reason) => {
            checks.push(Check::failed(
                None,
                kind,
                reason.to_string(),
                clock.elapsed(),
            ));
            return None;
        }
    };
    let note = stopped
        .as_ref()
        .map(|id| format!("stopped at `{id}`, which is marked irreversible"));
    if outcome.steps.is_empty() && stopped.is_some() {
        checks.push(Check::skipped(None, kind, note.unwrap_or_default()));
        return Some(());
    }
    let Some(expected) = seen.get(&sorted(outcome.end_heads.clone())) else {
        checks.push(Check::skipped(
            None,
            kind,
            format!(
                "no earlier state at [{}] to compare with",
                outcome.end_heads.join(", ")
            ),
        ));
        return Some(());
    };
    let now = match driver.snapshot().await {
        Ok(now) => now,
        Err(reason) => {
            checks.push(Check::failed(
                None,
                kind,
                reason.to_string(),
                clock.elapsed(),
            ));
            return None;
        }
    };
    let keeps = driver.keeps_of(ran(&outcome));
    let findings = driver.compare_keeping(expected, &now, &keeps, false);
    checks.push(Check::ran(None, kind, findings, clock.elapsed()).with_note(note));
    Some(())
}

/// Applies the range again and compares with the state first seen at its end; the state
/// now, or `None` when the database refused.
async fn redo_all(
    driver: &Driver<'_>,
    to: &str,
    end_heads: &[String],
    seen: &Seen,
    checks: &mut Vec<Check>,
) -> Option<Snapshot> {
    let kind = CheckKind::UpgradeAll;
    tracing::info!(target: "mig", "roundtrip: upgrading the whole range to `{to}` again");
    let clock = Instant::now();
    if let Err(reason) = driver.upgrade(to).await {
        checks.push(Check::failed(
            None,
            kind,
            reason.to_string(),
            clock.elapsed(),
        ));
        return None;
    }
    let now = match driver.snapshot().await {
        Ok(now) => now,
        Err(reason) => {
            checks.push(Check::failed(
                None,
                kind,
                reason.to_string(),
                clock.elapsed(),
            ));
            return None;
        }
    };
    let findings = match seen.get(&sorted(end_heads.to_vec())) {
        Some(expected) => driver.compare(expected, &now),
        None => Vec::new(),
    };
    checks.push(Check::ran(None, kind, findings, clock.elapsed()));
    Some(now)
}

fn sorted(mut heads: Vec<String>) -> Vec<String> {
    heads.sort();
    heads
}
