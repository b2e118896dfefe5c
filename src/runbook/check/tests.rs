use super::*;

#[test]
fn only_a_held_comparison_passes() {
    assert_eq!(Status::judged(true), Status::Pass);
    assert_eq!(Status::judged(false), Status::Fail);
    assert_eq!(Status::judged_soft(false), Status::Warn);
    assert_eq!(Check::not_run("x", "y").status, Status::NotRun);
    assert_eq!(Check::info("x", "y").status, Status::Info);
    assert_eq!(Check::judged("x", false, "y").status.icon(), "❌");
}
