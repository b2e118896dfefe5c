-- Schemas, except the system ones (user schemas cannot start with `pg_`).
select
    'schema' as kind,
    format('%I', n.nspname) as id,
    n.nspname::text as schema,
    null::text as tbl,
    n.nspname::text as name,
    json_build_object('owner', pg_get_userbyid(n.nspowner))::text as attrs
from pg_namespace n
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and n.oid not in (select h.objid from hidden h where h.classid = 'pg_namespace'::regclass)
