use super::failing_index;

#[test]
fn the_position_names_the_statement_before_the_completions_do() {
    // Statements start at characters 0, 9 and 40 of the text sent.
    let starts = [0, 9, 40];
    assert_eq!(failing_index(Some(45), &starts, 0), 2);
    assert_eq!(failing_index(Some(10), &starts, 0), 1);
    assert_eq!(failing_index(Some(1), &starts, 0), 0);
    // Past the last statement (`at end of input`): the last one.
    assert_eq!(failing_index(Some(99), &starts, 0), 2);
    assert_eq!(failing_index(None, &starts, 1), 1);
    assert_eq!(failing_index(Some(0), &starts, 2), 2);
    assert_eq!(failing_index(Some(5), &[], 0), 0);
}
