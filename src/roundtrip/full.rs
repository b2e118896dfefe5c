//! `--mode full`: the seed runbook's U1-P5 on the last revision of the range. Upgrade to
//! one below the target (S0), upgrade to the target (S1), downgrade one revision (back to
//! where S0 was) and compare with S0, upgrade to the target again and compare with S1.

use std::time::Instant;

use crate::catalog::Snapshot;

use super::driver::{ran, Driver};
use super::report::{Check, CheckKind};
use super::RoundtripError;

/// Runs the checks from wherever the database is; the state at the target, or `None`
/// when the database refused a step.
pub(super) async fn run(
    driver: &Driver<'_>,
    to: &str,
    checks: &mut Vec<Check>,
) -> Result<Option<Snapshot>, RoundtripError> {
    let below = format!("{to}-1");
    tracing::info!(target: "mig", "roundtrip: moving to `{below}`");
    super::move_to(driver, &below).await?;
    let s0 = driver.snapshot().await?;
    let heads = driver.heads().await?;
    // The revisions the target adds: the ones checked.
    let added = super::plans::upgrade_order(driver.map, &heads, to)?;
    let rev = added.last().cloned();
    let rev = rev.as_deref();

    tracing::info!(target: "mig", "roundtrip: upgrading to `{to}`");
    let clock = Instant::now();
    let Some((_, s1)) = driver
        .then_snapshot(
            driver.upgrade(to).await,
            checks,
            (rev, CheckKind::Upgrade, clock),
        )
        .await
    else {
        return Ok(None);
    };
    let note = (added.len() > 1).then(|| format!("applied {}", added.join(", ")));
    checks.push(Check::ran(rev, CheckKind::Upgrade, Vec::new(), clock.elapsed()).with_note(note));

    if let Some(id) = rev.filter(|id| super::plans::is_irreversible(driver.map, id)) {
        checks.extend(Check::irreversible(id));
        return Ok(Some(s1));
    }

    // Back to exactly where S0 was: `-1` when the target added one revision.
    let back = match heads.as_slice() {
        [] => "base".to_string(),
        [one] => one.clone(),
        _ => "-1".to_string(),
    };
    tracing::info!(target: "mig", "roundtrip: downgrading to `{back}`");
    let clock = Instant::now();
    let Some((outcome, down)) = driver
        .then_snapshot(
            driver.downgrade(&back).await,
            checks,
            (rev, CheckKind::Downgrade, clock),
        )
        .await
    else {
        return Ok(None);
    };
    let keeps = driver.keeps_of(ran(&outcome));
    let findings = driver.compare_keeping(&s0, &down, &keeps, true);
    checks.push(Check::ran(
        rev,
        CheckKind::Downgrade,
        findings,
        clock.elapsed(),
    ));

    tracing::info!(target: "mig", "roundtrip: upgrading to `{to}` again");
    let clock = Instant::now();
    let Some((_, again)) = driver
        .then_snapshot(
            driver.upgrade(to).await,
            checks,
            (rev, CheckKind::UpgradeAgain, clock),
        )
        .await
    else {
        return Ok(None);
    };
    let findings = driver.compare(&s1, &again);
    checks.push(Check::ran(
        rev,
        CheckKind::UpgradeAgain,
        findings,
        clock.elapsed(),
    ));
    Ok(Some(again))
}
