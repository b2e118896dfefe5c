use super::*;

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn render(template: &str, subject: &Subject) -> String {
    NameTemplate::parse(template)
        .map(|t| t.expected(subject))
        .unwrap_or_else(|e| format!("{e:?}"))
}

#[test]
fn every_token() {
    let columns = owned(&["tenant_id", "seq_no"]);
    let referred = owned(&["id", "version"]);
    let subject = Subject {
        table: "chunks",
        columns: &columns,
        referred_table: "tenants",
        referred_columns: &referred,
    };
    let cases = [
        ("pk_%(table_name)s", "pk_chunks"),
        ("x_%(column_0_name)s", "x_tenant_id"),
        ("x_%(column_1_name)s", "x_seq_no"),
        ("x_%(column_2_name)s", "x_"),
        ("x_%(column_0_key)s", "x_tenant_id"),
        ("x_%(column_0_N_name)s", "x_tenant_id_seq_no"),
        ("x_%(column_0N_name)s", "x_tenant_idseq_no"),
        ("ix_%(column_0_label)s", "ix_chunks_tenant_id"),
        (
            "ix_%(column_0_N_label)s",
            "ix_chunks_tenant_id_chunks_seq_no",
        ),
        ("x_%(referred_table_name)s", "x_tenants"),
        ("x_%(referred_column_0_name)s", "x_id"),
        ("x_%(referred_column_0N_name)s", "x_idversion"),
        (
            "uq_%(table_name)s__%(constraint_name)s",
            "uq_chunks__<constraint_name>",
        ),
        ("pk_%%(table_name)s", "pk_chunks"),
        ("100%%_%(table_name)s", "100%_chunks"),
        ("odd%x", "odd%x"),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template, &subject), expected, "{template}");
    }
}

#[test]
fn template_errors() {
    let error = |t: &str| NameTemplate::parse(t).err();
    assert_eq!(
        error("pk_%(table)s"),
        Some(NameTemplateError::UnknownToken("table".into()))
    );
    assert_eq!(
        error("x_%(column_1_N_name)s"),
        Some(NameTemplateError::UnknownToken("column_1_N_name".into()))
    );
    assert_eq!(
        error("x_%(referred_column_0_label)s"),
        Some(NameTemplateError::UnknownToken(
            "referred_column_0_label".into()
        ))
    );
    assert_eq!(
        error("x_%(column_name)s"),
        Some(NameTemplateError::UnknownToken("column_name".into()))
    );
    assert_eq!(
        error("pk_%(table_name"),
        Some(NameTemplateError::Unterminated)
    );
}

#[test]
fn free_part_matches_any_non_empty_text() {
    let template = NameTemplate::parse("ck_%(table_name)s__%(constraint_name)s").ok();
    let subject = Subject {
        table: "acct.v2",
        ..Subject::default()
    };
    let fits = |name: &str| {
        template
            .as_ref()
            .is_some_and(|t| t.fits(name, &subject, Some(63)))
    };
    assert!(fits("ck_acct.v2__positive_balance"));
    assert!(!fits("ck_acct.v2__"));
    assert!(
        !fits("ck_acctxv2__positive"),
        "the table name is literal text"
    );
    assert!(!fits("acct_name_check1"));
}

#[test]
fn long_names_fit_truncated() {
    let template =
        NameTemplate::parse("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s").ok();
    let columns = owned(&["a_rather_long_column_name_for_a_key"]);
    let subject = Subject {
        table: "an_unusually_long_table_name",
        columns: &columns,
        referred_table: "another_long_table",
        referred_columns: &[],
    };
    let full = template
        .as_ref()
        .map(|t| t.expected(&subject))
        .unwrap_or_default();
    assert!(full.len() > 63);
    let fits = |name: &str| {
        template
            .as_ref()
            .is_some_and(|t| t.fits(name, &subject, Some(63)))
    };
    assert!(fits(&full[..63]), "cut by the server");
    assert!(fits(&format!("{}_1f3a", &full[..55])), "cut by SQLAlchemy");
    assert!(!fits(&format!("{}_zzzz", &full[..55])));
    assert!(!fits(&full[..62]));
}
