use super::*;

#[test]
fn settings_and_supabase_port_decide_without_a_probe() {
    assert_eq!(known(PoolerSetting::None, Some(6543)), Some(Pooler::None));
    assert_eq!(
        known(PoolerSetting::Transaction, Some(5432)),
        Some(Pooler::Transaction(PoolerReason::Configured))
    );
    assert_eq!(
        known(PoolerSetting::Auto, Some(6543)),
        Some(Pooler::Transaction(PoolerReason::SupabasePort))
    );
    // Supabase's session pooler (5432) and everything else: ask the server.
    assert_eq!(known(PoolerSetting::Auto, Some(5432)), None);
    assert_eq!(known(PoolerSetting::Auto, None), None);
}

#[test]
fn descriptions_say_what_mig_does() {
    insta::assert_snapshot!(
        Pooler::Transaction(PoolerReason::SupabasePort).describe(),
        @"transaction-mode pooler (port 6543, Supabase's transaction pooler): one transaction per unit, transaction-level lock"
    );
    assert!(!Pooler::None.is_transaction());
}
