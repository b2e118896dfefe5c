use super::*;

#[test]
fn only_a_held_comparison_passes() {
    assert_eq!(Mark::judged(true), Mark::Pass);
    assert_eq!(Mark::judged(false), Mark::Fail);
    assert_eq!(Mark::judged_soft(false), Mark::Warn);
    assert_eq!(Evidence::not_run("x", "y").status, Mark::NotRun);
    assert_eq!(Evidence::info("x", "y").status, Mark::Info);
    assert_eq!(Evidence::judged("x", false, "y").status.icon(), "❌");
}
