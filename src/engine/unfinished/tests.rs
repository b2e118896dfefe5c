use super::*;
use crate::db::history::{StepProgress, IN_PROGRESS};
use crate::revision::fixture::{plan, rev, Steps};

fn step(done: i64, direction: &str) -> InterruptedStep {
    InterruptedStep {
        revision: "n2".into(),
        direction: direction.into(),
        checksum: Some("x".into()),
        started_at: "2026-12-01T22:15:19.000000Z".into(),
        recorded_at: "2026-12-01 22:15:19 UTC".into(),
        operator: "deploy@ci1".into(),
        progress: StepProgress {
            state: IN_PROGRESS.into(),
            done,
            total: 3,
            line: 12,
            version_rows: vec!["n1".into()],
        },
    }
}

fn said(step: InterruptedStep) -> String {
    Interrupted {
        step,
        path: Some("versions/n2.sql".into()),
    }
    .to_string()
}

#[test]
fn the_words_of_an_interrupted_step() {
    assert_eq!(
        said(step(1, "upgrade")),
        "revision n2 (versions/n2.sql) was interrupted after statement 1 of 3 (line 12) \
             at 2026-12-01 22:15:19 UTC by deploy@ci1; statements 1..1 are applied"
    );
    assert_eq!(
        said(step(0, "downgrade")),
        "the downgrade of revision n2 (versions/n2.sql) was interrupted in statement 1 of \
             3 (line 12) at 2026-12-01 22:15:19 UTC by deploy@ci1; no statement is known to \
             be applied"
    );
}

#[test]
fn refuse_ignore_and_resume_checks() {
    let none = &RevisionMap::default();
    let found = [step(1, "upgrade")];
    let heads = ["n1".to_string()];
    let base = Path::new("/p");
    let n2 = [rev("n2", &["n1"])];
    let plan = plan(
        &["n1"],
        vec![Steps(&n2).up("n2", &["n1"], &["n2"], vec![])],
        &["n2"],
    );
    let refused = decide(base, Unfinished::Refuse, &found, &plan, none, &heads).unwrap_err();
    assert!(
        refused.starts_with("revision n2 was interrupted after"),
        "{refused}"
    );
    assert!(refused.ends_with("`mig resolve n2 --applied|--reverted --reason TEXT`"));
    assert_eq!(
        decide(base, Unfinished::Ignore, &found, &plan, none, &heads),
        Ok(None)
    );
    assert_eq!(
        decide(base, Unfinished::Refuse, &[], &plan, none, &heads),
        Ok(None)
    );
    // The project does not know n2 here: nothing to resume into.
    let unknown = decide(base, Unfinished::Resume, &found, &plan, none, &heads).unwrap_err();
    assert!(unknown.contains("is not in this project"), "{unknown}");
    let down = decide(
        base,
        Unfinished::Resume,
        &[step(1, "downgrade")],
        &plan,
        none,
        &heads,
    )
    .unwrap_err();
    assert!(down.contains("continues upgrades only"), "{down}");
}
