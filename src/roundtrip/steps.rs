//! `--mode steps`: every revision of the range on its own, in upgrade order. For each
//! revision R: apply it, undo it and compare with the state before it (residue), apply it
//! again and compare with the state after it. Then undo the whole range and compare with
//! the starting state (stopping at an irreversible revision and comparing with the state
//! first seen there), and apply it again. A step the database refuses ends the run, or
//! (`keep_going`) the next revision goes on from a fresh database replayed to it.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::catalog::Snapshot;
use crate::replay::{self, Spare};

use super::driver::{failed_check, ran, Driver};
use super::plans;
use super::report::{Check, CheckKind};
use super::RoundtripError;

/// The states seen so far, by the version table's rows (sorted): the first snapshot
/// taken at each.
type Seen = BTreeMap<Vec<String>, Snapshot>;

/// Runs the checks; the database is already at the start of the range. With
/// `keep_going`, a failed step does not end the run: the revisions that need one that
/// failed to apply are skipped, the others are checked on a fresh database replayed to
/// the state before them; the whole-range checks then do not run.
pub(super) async fn run<'a>(
    driver: &Driver<'a>,
    to: &str,
    keep_going: bool,
    checks: &mut Vec<Check>,
) -> Result<Option<Snapshot>, RoundtripError> {
    let start_heads = driver.heads().await?;
    let order = plans::upgrade_order(driver.map, &start_heads, to)?;
    let start = driver.snapshot().await?;
    let mut seen = Seen::new();
    seen.insert(sorted(start_heads.clone()), start.clone());
    let mut walk = Walk {
        spare: Spare::beside(&driver.url),
        fresh: None,
        heads: start_heads.clone(),
        current: Some(start),
        unapplied: Vec::new(),
        failed: None,
    };
    for (n, id) in order.iter().enumerate() {
        tracing::info!(target: "mig", "roundtrip: revision {} of {}: `{id}`", n + 1, order.len());
        if let Some(failed) = walk
            .unapplied
            .iter()
            .find(|f| plans::needs(driver.map, id, f))
        {
            checks.push(Check::skipped(
                Some(id),
                CheckKind::Upgrade,
                format!("not reached: `{failed}` failed"),
            ));
            continue;
        }
        let before = match walk.current.take() {
            Some(before) => before,
            None => match walk.replay(driver).await {
                Ok(before) => before,
                Err(reason) => {
                    skip_rest(checks, &order[n..], &reason);
                    break;
                }
            },
        };
        let here = walk.fresh.as_ref().unwrap_or(driver);
        match revision(here, id, before, &mut seen, checks).await {
            Ok((heads, now)) => {
                walk.heads = heads;
                walk.current = Some(now);
            }
            Err(applied) => {
                walk.failed.get_or_insert_with(|| id.clone());
                match applied {
                    Some(heads) => walk.heads = heads,
                    None => walk.unapplied.push(id.clone()),
                }
                if !keep_going {
                    skip_rest(checks, &order[n + 1..], &format!("`{id}` failed"));
                    break;
                }
            }
        }
    }
    if let Some(fresh) = walk.fresh.take() {
        fresh.close().await;
    }
    walk.spare.remove().await;
    if walk.failed.is_some() {
        return Ok(None);
    }
    let Some(current) = walk.current else {
        return Ok(None);
    };
    if order.is_empty() {
        return Ok(Some(current));
    }
    let end_heads = driver.heads().await?;
    let Some(()) = undo_all(driver, &start_heads, &seen, checks).await else {
        return Ok(None);
    };
    Ok(redo_all(driver, to, &end_heads, &seen, checks).await)
}

/// Where the walk is: the database in use, its version rows and snapshot (`None` after a
/// failed step: the next revision needs a fresh database), what failed.
struct Walk<'a> {
    spare: Spare,
    /// The driver on the fresh database in use, once the first one failed.
    fresh: Option<Driver<'a>>,
    /// The version rows the next revision starts from.
    heads: Vec<String>,
    current: Option<Snapshot>,
    /// Revisions whose upgrade failed: whatever needs them is not checked.
    unapplied: Vec<String>,
    /// The first revision with a failed check.
    failed: Option<String>,
}

impl<'a> Walk<'a> {
    /// A fresh database at `heads`, and its snapshot.
    async fn replay(&mut self, driver: &Driver<'a>) -> Result<Snapshot, String> {
        if let Some(used) = self.fresh.take() {
            used.close().await;
        }
        let url = self.spare.fresh().await?;
        tracing::info!(target: "mig", "roundtrip: replaying to [{}] on a fresh database", self.heads.join(", "));
        replay::to_heads(driver.config, driver.map, &url, &self.heads).await?;
        let fresh = driver.on(&url);
        let snapshot = fresh.snapshot().await.map_err(|e| e.to_string())?;
        self.fresh = Some(fresh);
        Ok(snapshot)
    }
}

/// The revisions in `rest` as skipped, because of `why`.
fn skip_rest(checks: &mut Vec<Check>, rest: &[String], why: &str) {
    for id in rest {
        checks.push(Check::skipped(
            Some(id),
            CheckKind::Upgrade,
            format!("not reached: {why}"),
        ));
    }
}

/// The three checks of one revision: the version rows and the state after it was
/// applied again; when the database refused a step, `Err` with the version rows after
/// its first upgrade (`None`: the revision did not apply).
async fn revision(
    driver: &Driver<'_>,
    id: &str,
    before: Snapshot,
    seen: &mut Seen,
    checks: &mut Vec<Check>,
) -> Result<(Vec<String>, Snapshot), Option<Vec<String>>> {
    let rev = Some(id);
    let clock = Instant::now();
    let (applied, after) = driver
        .then_snapshot(
            driver.upgrade(id).await,
            checks,
            (rev, CheckKind::Upgrade, clock),
        )
        .await
        .ok_or(None)?;
    checks.push(Check::ran(
        rev,
        CheckKind::Upgrade,
        Vec::new(),
        clock.elapsed(),
    ));
    let heads = applied.end_heads;
    seen.entry(sorted(heads.clone()))
        .or_insert_with(|| after.clone());
    let failed = || Some(heads.clone());

    if plans::is_irreversible(driver.map, id) {
        checks.extend(Check::irreversible(id));
        return Ok((heads, after));
    }

    let clock = Instant::now();
    let (_, down) = driver
        .then_snapshot(
            driver.downgrade_one(id).await,
            checks,
            (rev, CheckKind::Downgrade, clock),
        )
        .await
        .ok_or_else(failed)?;
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
        .await
        .ok_or_else(failed)?;
    let findings = driver.compare(&after, &again);
    checks.push(Check::ran(
        rev,
        CheckKind::UpgradeAgain,
        findings,
        clock.elapsed(),
    ));
    Ok((heads, again))
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
    let (outcome, stopped) = failed_check(
        driver.downgrade_until_irreversible(&target).await,
        checks,
        (None, kind, clock),
    )?;
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
    let now = failed_check(driver.snapshot().await, checks, (None, kind, clock))?;
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
    let (_, now) = driver
        .then_snapshot(driver.upgrade(to).await, checks, (None, kind, clock))
        .await?;
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
