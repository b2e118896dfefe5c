use super::*;

#[test]
fn offsets_map_to_file_lines_and_columns() {
    let statement = "-- why\n/* a /* nested */ b */ INSERT INTO t\n  VALUES (é, x)";
    // The first token `INSERT` is at line 12, column 27 of its file.
    let token = statement.find("INSERT").unwrap();
    let token_chars = statement[..token].chars().count();
    assert_eq!(
        locate_in_statement(statement, 12, 27, token_chars),
        Some((12, 27))
    );
    let x = statement.chars().count() - 2;
    assert_eq!(locate_in_statement(statement, 12, 27, x), Some((13, 14)));
    assert_eq!(locate_in_statement(statement, 12, 27, 2), None);
    assert_eq!(locate_in_statement(statement, 12, 27, 999), None);
    assert_eq!(locate_in_statement("-- only", 1, 1, 0), None);
}
