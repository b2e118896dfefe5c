use super::*;

#[test]
fn search_paths_compare_as_postgres_resolves_them() {
    let path_elements = |text: &str| SearchPath::from(text).names().to_vec();
    assert_eq!(
        path_elements("zero_admin, public"),
        path_elements(r#""zero_admin", "public""#)
    );
    assert_ne!(path_elements("App"), path_elements(r#""App""#));
    assert_eq!(path_elements(r#""$user", public"#), ["$user", "public"]);
    assert_eq!(offset_text(19800), "5:30");
}
