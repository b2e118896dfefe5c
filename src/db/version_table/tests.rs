use super::*;

// Wording from Alembic 1.20.1's `HeadMaintainer._update_version` and
// `_delete_version` (alembic/runtime/migration.py).
#[test]
fn row_count_errors_use_alembic_wording() {
    let update = VersionOp::Update {
        from: "a".into(),
        to: "b".into(),
    };
    assert_eq!(
        row_count_error(&update, "alembic_version", 0).as_deref(),
        Some(
            "Online migration expected to match one row when updating 'a' to 'b' in \
                 'alembic_version'; 0 found"
        )
    );
    let delete = VersionOp::Delete {
        version: "a".into(),
    };
    assert_eq!(
        row_count_error(&delete, "my_ver", 2).as_deref(),
        Some("Online migration expected to match one row when deleting 'a' in 'my_ver'; 2 found")
    );
    assert_eq!(row_count_error(&update, "alembic_version", 1), None);
    assert_eq!(row_count_error(&VersionOp::DeleteAll, "t", 5), None);
    let insert = VersionOp::Insert {
        version: "a".into(),
    };
    assert_eq!(row_count_error(&insert, "t", 0), None);
}
