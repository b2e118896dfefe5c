use super::*;
use crate::config::ExecSettings;

#[test]
fn progress_statements_name_the_step() {
    let settings = ExecSettings {
        history_table: Some("mig_history".into()),
        ..ExecSettings::default()
    };
    let table = HistoryTable::new(Dialect::Postgresql, &settings).unwrap();
    assert_eq!(
        table.progress_update_sql("n2", HistoryKind::Upgrade, 1, 12, 40),
        "UPDATE mig_history SET statements_done = 1, statement_line = 12, duration_ms = 40 \
             WHERE revision = 'n2' AND direction = 'upgrade' AND progress = 'in progress'"
    );
    assert_eq!(
        table.progress_delete_sql("it's", HistoryKind::Downgrade),
        "DELETE FROM mig_history WHERE revision = 'it''s' AND direction = 'downgrade' \
             AND progress = 'in progress'"
    );
    assert_eq!(
        table.progress_select(&["progress".into()]),
        "progress, NULL, NULL, NULL, NULL"
    );
}
