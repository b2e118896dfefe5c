use super::*;
use crate::config::VersionTable;

#[test]
fn beside_the_version_table_and_quoted_once() {
    let settings = ExecSettings {
        version_table: VersionTable {
            schema: Some("Admin".into()),
            ..VersionTable::default()
        },
        ..ExecSettings::default()
    };
    let table = SeedTable::new(Dialect::Postgresql, &settings);
    assert_eq!(table.qualified, "\"Admin\".mig_seed");
    let sql = table.create_sql();
    assert_eq!(sql[0], "CREATE SCHEMA IF NOT EXISTS \"Admin\"");
    let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 10, 18, 17, 0, 0).unwrap();
    let [delete, insert] = table.record_sql("o'neil", "required", "ab", at, 3, 7, "me@h");
    assert_eq!(
        delete,
        "DELETE FROM \"Admin\".mig_seed WHERE name = 'o''neil'"
    );
    assert!(
        insert.ends_with(
            "VALUES ('o''neil', 'required', 'ab', '2025-10-18 17:00:00.000000+00', 3, 7, 'me@h')"
        ),
        "{insert}"
    );
}
