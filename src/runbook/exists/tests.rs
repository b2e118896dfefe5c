use super::*;

fn sql(text: &str, dialect: Dialect) -> String {
    ExistsTarget::parse(text).unwrap().sql(dialect)
}

#[test]
fn queries_per_kind() {
    insta::assert_snapshot!(sql("table zero_admin.inbox_items", Dialect::Postgresql), @"SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('zero_admin.inbox_items') AND c.relkind IN ('r', 'p')");
    insta::assert_snapshot!(sql("function zero_admin.set_updated_at()", Dialect::Postgresql), @"SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = to_regprocedure('zero_admin.set_updated_at()')");
    insta::assert_snapshot!(sql("extension pgcrypto", Dialect::Postgresql), @"SELECT extname || ' ' || extversion FROM pg_catalog.pg_extension WHERE extname = 'pgcrypto'");
    insta::assert_snapshot!(sql("schema zero_admin", Dialect::Postgresql), @"SELECT nspname::text FROM pg_catalog.pg_namespace WHERE oid = to_regnamespace('zero_admin')");
    insta::assert_snapshot!(sql("constraint zero_admin.chunks.uq_chunks__seq", Dialect::Postgresql), @"SELECT conname::text FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('zero_admin.chunks') AND conname = 'uq_chunks__seq'");
    insta::assert_snapshot!(sql("trigger t.trg_x", Dialect::Postgresql), @"SELECT tgname::text FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass('t') AND tgname = 'trg_x' AND NOT tgisinternal");
    insta::assert_snapshot!(sql("table o'k", Dialect::Sqlite), @"SELECT type || ' ' || name FROM sqlite_master WHERE type = 'table' AND name = 'o''k'");
    insta::assert_snapshot!(sql("trigger items.trg_items", Dialect::Sqlite), @"SELECT type || ' ' || name FROM sqlite_master WHERE type = 'trigger' AND name = 'trg_items'");
}

#[test]
fn refusals() {
    insta::assert_snapshot!(ExistsTarget::parse("table").unwrap_err(), @"`table` names no object; write `table <name>`");
    insta::assert_snapshot!(ExistsTarget::parse("constraint pk_x").unwrap_err(), @"`constraint pk_x`: a constraint is named with its table, `[schema.]table.name`");
}
