use super::*;

#[test]
fn steps_start_from_base_unless_told() {
    let opts = options(&Options::default());
    assert_eq!(command(&opts), "mig roundtrip --mode steps --from base");
    let given = Options {
        mode: Mode::Full,
        to: Some("head".into()),
        ..Options::default()
    };
    assert_eq!(
        command(&options(&given)),
        "mig roundtrip --mode full --to head"
    );
}
