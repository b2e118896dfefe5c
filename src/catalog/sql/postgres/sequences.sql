-- Sequences without their state (`last_value`), with the column that owns them: 'a'
-- for serial columns and OWNED BY, 'i' for identity columns.
select
    'sequence' as kind,
    format('%I.%I', n.nspname, c.relname) as id,
    n.nspname::text as schema,
    case when tc.relnamespace = c.relnamespace then tc.relname::text end as tbl,
    c.relname::text as name,
    json_build_object(
        'owner', pg_get_userbyid(c.relowner),
        'persistence', case c.relpersistence when 'u' then 'unlogged' else 'permanent' end,
        'type', format_type(s.seqtypid, null),
        'start', s.seqstart,
        'increment', s.seqincrement,
        'min', s.seqmin,
        'max', s.seqmax,
        'cache', s.seqcache,
        'cycle', s.seqcycle,
        'owned_by', case when ta.attname is not null
            then format('%I.%I.%I', tn.nspname, tc.relname, ta.attname)
        end,
        'identity', case when d.deptype = 'i' then true end
    )::text as attrs
from pg_sequence s
join pg_class c on c.oid = s.seqrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_depend d
    on d.classid = 'pg_class'::regclass
   and d.objid = c.oid
   and d.refclassid = 'pg_class'::regclass
   and d.refobjsubid > 0
   and d.deptype in ('a', 'i')
left join pg_class tc on tc.oid = d.refobjid
left join pg_namespace tn on tn.oid = tc.relnamespace
left join pg_attribute ta on ta.attrelid = d.refobjid and ta.attnum = d.refobjsubid
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
