use super::*;

#[test]
fn checks_with_evidence() {
    let list = vec![
        Evidence::judged("six tables", true, "got 2 rows")
            .with_query("SELECT tablename\nFROM pg_tables")
            .with_expected("exactly 2 rows")
            .with_rows(vec![vec![Some("a".into())], vec![Some("b|c".into())]]),
        Evidence::judged("utc", false, "got `false`")
            .with_query("SELECT `x`")
            .with_rows(vec![vec![None, Some("1".into())]]),
        Evidence::not_run("later", "not run: stage `upgrade heads` failed"),
        Evidence::info("fact", "two\nlines"),
    ];
    insta::assert_snapshot!(checks(&list), @r"
        - ✅ **six tables**: got 2 rows (expected exactly 2 rows)

          ```sql
          SELECT tablename
          FROM pg_tables
          ```

          - result (2 rows):
            - `a`
            - `b|c`
        - ❌ **utc**: got `false`
          - query: `` SELECT `x` ``
          - result: `NULL | 1`
        - ⏭ **later**: not run: stage `upgrade heads` failed
        - ℹ️ **fact**: two / lines
        ");
    assert_eq!(checks(&[]), "none\n");
    assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
}
