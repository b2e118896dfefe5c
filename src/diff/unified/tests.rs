use super::*;

#[test]
fn same_lines_no_diff() {
    assert_eq!(unified("a\nb\n", "a\nb"), "");
}

#[test]
fn one_changed_line_with_context() {
    let before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    let after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    insta::assert_snapshot!(unified(before, after), @r"
        --- before
        +++ after
        @@ -2,7 +2,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8
        ");
}

#[test]
fn separate_hunks_and_edges() {
    let before: String = (1..=20).map(|n| format!("{n}\n")).collect();
    let after = before.replacen("1\n", "", 1).replace("20\n", "20\n21\n");
    insta::assert_snapshot!(unified(&before, &after), @r"
        --- before
        +++ after
        @@ -1,4 +1,3 @@
        -1
         2
         3
         4
        @@ -18,3 +17,4 @@
         18
         19
         20
        +21
        ");
}

#[test]
fn empty_sides() {
    insta::assert_snapshot!(unified("", "x\ny"), @r"
        --- before
        +++ after
        @@ -0,0 +1,2 @@
        +x
        +y
        ");
    insta::assert_snapshot!(unified("x", ""), @r"
        --- before
        +++ after
        @@ -1 +0,0 @@
        -x
        ");
}

#[test]
fn interleaved_changes_align_on_common_lines() {
    let before = "begin\n  a := 1;\n  b := 2;\nend";
    let after = "begin\n  a := 10;\n  b := 2;\n  c := 3;\nend";
    insta::assert_snapshot!(unified(before, after), @r"
        --- before
        +++ after
        @@ -1,4 +1,5 @@
         begin
        -  a := 1;
        +  a := 10;
           b := 2;
        +  c := 3;
         end
        ");
}
