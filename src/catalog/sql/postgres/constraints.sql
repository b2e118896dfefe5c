-- Table constraints by name (domain constraints come with their domain). A foreign key
-- that references a partitioned table gets one catalog row per referenced partition on
-- the same table, all with the parent's name: only the parent row is listed.
select
    'constraint' as kind,
    format('%I.%I.%I', n.nspname, c.relname, k.conname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    k.conname::text as name,
    json_build_object(
        'type', case k.contype
            when 'p' then 'primary key'
            when 'f' then 'foreign key'
            when 'u' then 'unique'
            when 'c' then 'check'
            when 'x' then 'exclusion'
            when 't' then 'trigger'
        end,
        'definition', pg_get_constraintdef(k.oid, true),
        'deferrable', k.condeferrable,
        'deferred', k.condeferred,
        'validated', k.convalidated,
        'columns', (
            select json_agg(
                (select a.attname from pg_attribute a
                 where a.attrelid = k.conrelid and a.attnum = u.attnum)
                order by u.ord
            )
            from unnest(k.conkey) with ordinality u (attnum, ord)
        ),
        'referred_schema', rn.nspname,
        'referred_table', rc.relname,
        'referred_columns', (
            select json_agg(
                (select a.attname from pg_attribute a
                 where a.attrelid = k.confrelid and a.attnum = u.attnum)
                order by u.ord
            )
            from unnest(k.confkey) with ordinality u (attnum, ord)
        ),
        'index', (
            select format('%I.%I', n.nspname, ic.relname)
            from pg_class ic
            where ic.oid = k.conindid and k.contype in ('p', 'u', 'x')
        ),
        'parent', (
            select format('%I.%I.%I', pn.nspname, pc.relname, p.conname)
            from pg_constraint p
            join pg_class pc on pc.oid = p.conrelid
            join pg_namespace pn on pn.oid = pc.relnamespace
            where p.oid = k.conparentid
        )
    )::text as attrs
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class rc on rc.oid = k.confrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and not exists (
    select from pg_constraint p where p.oid = k.conparentid and p.conrelid = k.conrelid
  )
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
