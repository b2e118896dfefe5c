-- Indexes, INVALID ones included (a failed CREATE INDEX CONCURRENTLY leaves one).
-- `constraint` names the primary key, unique or exclusion constraint the index backs.
-- `columns` are the key columns; an expression key shows as its expression.
select
    'index' as kind,
    format('%I.%I', n.nspname, ic.relname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    ic.relname::text as name,
    json_build_object(
        'definition', pg_get_indexdef(i.indexrelid),
        'valid', i.indisvalid,
        'unique', i.indisunique,
        'constraint', k.conname,
        'columns', (
            select json_agg(
                case when u.attnum = 0
                    then pg_get_indexdef(i.indexrelid, u.ord::int, true)
                    else (select a.attname::text from pg_attribute a
                          where a.attrelid = i.indrelid and a.attnum = u.attnum)
                end
                order by u.ord
            )
            from unnest(i.indkey) with ordinality u (attnum, ord)
            where u.ord <= i.indnkeyatts
        ),
        'clustered', case when i.indisclustered then true end,
        'replica_identity', case when i.indisreplident then true end,
        'tablespace', (select t.spcname from pg_tablespace t where t.oid = ic.reltablespace),
        'parent', (
            select format('%I.%I', pn.nspname, pc.relname)
            from pg_inherits h
            join pg_class pc on pc.oid = h.inhparent
            join pg_namespace pn on pn.oid = pc.relnamespace
            where h.inhrelid = ic.oid
        )
    )::text as attrs
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = ic.relnamespace
left join pg_constraint k
    on k.conindid = i.indexrelid
   and k.conrelid = i.indrelid
   and k.contype in ('p', 'u', 'x')
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
