-- Columns of tables, views, materialized views, foreign tables and composite types.
-- `position` counts live columns only: a dropped column keeps its attnum, so after
-- drop + add the numbers differ while the order does not.
select
    'column' as kind,
    format('%I.%I.%I', n.nspname, c.relname, a.attname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    a.attname::text as name,
    json_build_object(
        'type', format_type(a.atttypid, a.atttypmod),
        'not_null', a.attnotnull,
        'default', case when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid) end,
        'generated', case when a.attgenerated = 's' then pg_get_expr(d.adbin, d.adrelid) end,
        'identity', case a.attidentity when 'a' then 'always' when 'd' then 'by default' end,
        'collation', (
            select format('%I.%I', cn.nspname, co.collname)
            from pg_collation co
            join pg_namespace cn on cn.oid = co.collnamespace
            where co.oid = a.attcollation and a.attcollation <> t.typcollation
        ),
        'position', row_number() over (partition by a.attrelid order by a.attnum)
    )::text as attrs
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attnum > 0
  and not a.attisdropped
  and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')
  and n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
