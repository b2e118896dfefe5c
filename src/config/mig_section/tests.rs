use super::*;

#[test]
fn env_var_names() {
    assert_eq!(env_var("version_table_schema"), "MIG_VERSION_TABLE_SCHEMA");
    assert_eq!(env_var("naming_convention.pk"), "MIG_NAMING_CONVENTION_PK");
}

#[test]
fn naming_tokens() {
    for token in [
        "table_name",
        "referred_table_name",
        "constraint_name",
        "column_0_name",
        "column_0_n_name",
        "column_0n_label",
        "column_12_key",
        "referred_column_0_name",
    ] {
        assert!(is_naming_token(token), "{token}");
    }
    for other in [
        "here",
        "database_url",
        "column_name",
        "column_x_name",
        "table_name2",
    ] {
        assert!(!is_naming_token(other), "{other}");
    }
}
