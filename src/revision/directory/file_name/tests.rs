use chrono::TimeZone;

use super::*;

#[test]
fn slugs_match_alembic() {
    // Each expected value is the file name `alembic revision -m MSG` produced.
    let cases = [
        ("Add user's table!", "add_user_s_table"),
        ("  héllo   Wörld--x  ", "héllo_wörld_x"),
        (
            "this is a very long message that goes past forty characters for sure",
            "this_is_a_very_long_message_that_goes_",
        ),
        (
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmn_",
        ),
        ("", ""),
        ("ÄÖÜ ǅ straße", "äöü_ǆ_straße"),
    ];
    for (message, expected) in cases {
        assert_eq!(slug(message, 40), expected, "{message:?}");
    }
    assert_eq!(slug("one two three", 0), "one_two_three");
    assert_eq!(slug("one two three", 9), "one_two_");
}

fn date() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2025, 3, 7, 9, 5, 4)
        .unwrap()
}

fn render(template: &str) -> Result<String, FileTemplateError> {
    render_file_template(
        template,
        &FileTokens {
            rev: "ae10",
            slug: "add_users",
            create_date: date(),
        },
    )
}

#[test]
fn file_templates_format_like_python() {
    // Python: "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s" % {...}
    assert_eq!(render(DEFAULT_FILE_TEMPLATE).unwrap(), "ae10_add_users");
    assert_eq!(
        render("%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s").unwrap(),
        "2025_03_07_0905-ae10_add_users"
    );
    assert_eq!(
        render("%(epoch)s_%(second)02d_%%_%(rev)r").unwrap(),
        "1741331104_04_%_'ae10'"
    );
    assert_eq!(
        render("%(rev)-6s|%(rev)6s|%(slug).3s|%(day)+d|%(day)4d").unwrap(),
        "ae10  |  ae10|add|+7|   7"
    );
    assert_eq!(
        render("%(day)-05d|%(day)05d|%(day)+05d|%(day) d|%(day).3d").unwrap(),
        "7    |00007|+0007| 7|007"
    );
}

#[test]
fn file_template_errors() {
    let message = |t: &str| render(t).unwrap_err().to_string();
    assert_eq!(
            message("%(nope)s"),
            "`file_template` `%(nope)s`: unknown token `nope`; tokens are rev, slug, epoch, year, month, day, hour, minute, second"
        );
    assert_eq!(
        message("%(rev)d"),
        "`file_template` `%(rev)d`: `%(rev)`: %d needs a number, not text"
    );
    assert_eq!(
        message("%s"),
        "`file_template` `%s`: every `%` needs a token name, like `%(rev)s` (or `%%` for `%`)"
    );
    assert_eq!(message("%(rev"), "`file_template` `%(rev`: unclosed `%(`");
    assert_eq!(
        message("%(rev)"),
        "`file_template` `%(rev)`: incomplete format after `%(rev)`"
    );
    assert_eq!(
        message("%(rev)q"),
        "`file_template` `%(rev)q`: `%(rev)`: unsupported conversion `%q`"
    );
}

#[test]
fn revision_ids() {
    let now = Utc.with_ymd_and_hms(2025, 10, 18, 17, 30, 5).unwrap();
    assert_eq!(
        generate_revision_id(RevisionIdStyle::Timestamp, now),
        "20251018173005"
    );
    let a = generate_revision_id(RevisionIdStyle::Hex, now);
    let b = generate_revision_id(RevisionIdStyle::Hex, now);
    assert_eq!(a.len(), 12);
    assert!(a
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_ne!(a, b);
}

#[test]
fn revision_ids_in_one_second_stay_unique() {
    let now = Utc.with_ymd_and_hms(2025, 10, 18, 17, 30, 5).unwrap();
    let free = |_: &str| false;
    assert_eq!(
        unique_revision_id(RevisionIdStyle::Timestamp, now, &free),
        "20251018173005"
    );
    let two = |id: &str| id == "20251018173005";
    assert_eq!(
        unique_revision_id(RevisionIdStyle::Timestamp, now, &two),
        "20251018173005_2"
    );
    let three = |id: &str| id == "20251018173005" || id == "20251018173005_2";
    assert_eq!(
        unique_revision_id(RevisionIdStyle::Timestamp, now, &three),
        "20251018173005_3"
    );
}
