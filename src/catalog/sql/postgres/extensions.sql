-- Extensions created after initdb (plpgsql comes with every database, OID < 16384).
select
    'extension' as kind,
    format('%I', e.extname) as id,
    null::text as schema,
    null::text as tbl,
    e.extname::text as name,
    json_build_object(
        'version', e.extversion,
        'schema', n.nspname,
        'owner', pg_get_userbyid(e.extowner)
    )::text as attrs
from pg_extension e
join pg_namespace n on n.oid = e.extnamespace
where e.oid >= 16384
