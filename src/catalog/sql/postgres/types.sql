-- User types: enums (labels in their sort order), domains (with their constraints),
-- ranges, composite types, base and shell types. Implicit array, multirange and table
-- row types are parts of other objects and not listed.
select
    'type' as kind,
    format('%I.%I', n.nspname, t.typname) as id,
    n.nspname::text as schema,
    case when t.typtype = 'c' then t.typname::text end as tbl,
    t.typname::text as name,
    json_build_object(
        'owner', pg_get_userbyid(t.typowner),
        'type', case t.typtype
            when 'e' then 'enum'
            when 'd' then 'domain'
            when 'r' then 'range'
            when 'c' then 'composite'
            when 'b' then 'base'
            when 'p' then 'shell'
        end,
        'labels', case when t.typtype = 'e' then (
            select json_agg(e.enumlabel order by e.enumsortorder)
            from pg_enum e
            where e.enumtypid = t.oid
        ) end,
        'base_type', case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
        'not_null', case when t.typtype = 'd' then t.typnotnull end,
        'default', case when t.typtype = 'd' then pg_get_expr(t.typdefaultbin, 0) end,
        'collation', (
            select format('%I.%I', cn.nspname, co.collname)
            from pg_collation co
            join pg_namespace cn on cn.oid = co.collnamespace
            left join pg_type b on b.oid = t.typbasetype
            where t.typtype = 'd'
              and co.oid = t.typcollation
              and t.typcollation is distinct from b.typcollation
        ),
        'constraints', case when t.typtype = 'd' then (
            select json_agg(
                format('%I %s', k.conname, pg_get_constraintdef(k.oid, true))
                order by k.conname collate "C"
            )
            from pg_constraint k
            where k.contypid = t.oid
        ) end,
        'subtype', format_type(r.rngsubtype, null),
        'subtype_opclass', (
            select format('%I.%I', on_.nspname, oc.opcname)
            from pg_opclass oc
            join pg_namespace on_ on on_.oid = oc.opcnamespace
            where oc.oid = r.rngsubopc
        ),
        'subtype_collation', (
            select format('%I.%I', cn.nspname, co.collname)
            from pg_collation co
            join pg_namespace cn on cn.oid = co.collnamespace
            where co.oid = r.rngcollation
        ),
        'canonical', nullif(r.rngcanonical::oid, 0)::regprocedure::text,
        'subtype_diff', nullif(r.rngsubdiff::oid, 0)::regprocedure::text,
        'multirange', case when r.rngmultitypid <> 0 then format_type(r.rngmultitypid, null) end,
        'input', case when t.typtype = 'b' then t.typinput::regprocedure::text end,
        'output', case when t.typtype = 'b' then t.typoutput::regprocedure::text end
    )::text as attrs
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
left join pg_range r on r.rngtypid = t.oid
where (
    t.typtype in ('e', 'd', 'r', 'b', 'p')
    or (t.typtype = 'c' and exists (
        select from pg_class c where c.oid = t.typrelid and c.relkind = 'c'
    ))
  )
  and not exists (select from pg_type e where e.typarray = t.oid)
  and n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and t.oid not in (select h.objid from hidden h where h.classid = 'pg_type'::regclass)
