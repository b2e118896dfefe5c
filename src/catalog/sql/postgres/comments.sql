-- Comments on any object, named like the objects they are on (`on column app.t.c`,
-- `on function app.f(integer)`), falling back to the server's names for the rest.
-- Objects created by initdb are left out, except the `public` schema; so are hidden
-- objects. `tbl` is the relation a comment hangs off (a column's, an index's, a
-- constraint's table).
select
    'comment' as kind,
    'on ' || t.target as id,
    coalesce(
        rn.nspname::text,
        o.schema,
        (select n.nspname::text from pg_namespace n
         where d.classoid = 'pg_namespace'::regclass and n.oid = d.objoid)
    ) as schema,
    rc.relname::text as tbl,
    o.identity as name,
    json_build_object('text', d.description)::text as attrs
from pg_description d
cross join lateral pg_identify_object(d.classoid, d.objoid, d.objsubid) o
left join pg_class oc on d.classoid = 'pg_class'::regclass and oc.oid = d.objoid
left join pg_namespace ocn on ocn.oid = oc.relnamespace
left join pg_index i on i.indexrelid = oc.oid
left join pg_constraint k on d.classoid = 'pg_constraint'::regclass and k.oid = d.objoid
left join pg_trigger tg on d.classoid = 'pg_trigger'::regclass and tg.oid = d.objoid
left join pg_policy pol on d.classoid = 'pg_policy'::regclass and pol.oid = d.objoid
left join pg_rewrite rw on d.classoid = 'pg_rewrite'::regclass and rw.oid = d.objoid
left join pg_proc p on d.classoid = 'pg_proc'::regclass and p.oid = d.objoid
left join pg_namespace pn on pn.oid = p.pronamespace
left join pg_class rc
    on rc.oid = coalesce(i.indrelid, oc.oid, nullif(k.conrelid, 0), tg.tgrelid, pol.polrelid, rw.ev_class)
left join pg_namespace rn on rn.oid = rc.relnamespace
cross join lateral (
    select case
        when oc.oid is not null and d.objsubid <> 0 then format('column %I.%I.%I',
            ocn.nspname, oc.relname,
            (select a.attname from pg_attribute a
             where a.attrelid = oc.oid and a.attnum = d.objsubid))
        when oc.oid is not null then format('%s %I.%I',
            case oc.relkind
                when 'v' then 'view'
                when 'm' then 'materialized view'
                when 'f' then 'foreign table'
                when 'S' then 'sequence'
                when 'i' then 'index'
                when 'I' then 'index'
                when 'c' then 'type'
                else 'table'
            end,
            ocn.nspname, oc.relname)
        when k.conrelid <> 0 then format('constraint %I.%I.%I', rn.nspname, rc.relname, k.conname)
        when tg.oid is not null then format('trigger %I.%I.%I', rn.nspname, rc.relname, tg.tgname)
        when pol.oid is not null then format('policy %I.%I.%I', rn.nspname, rc.relname, pol.polname)
        when p.oid is not null then format('%s %I.%I(%s)',
            case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
            pn.nspname, p.proname, oidvectortypes(p.proargtypes))
        when d.classoid = 'pg_type'::regclass then 'type ' || o.identity
        when d.classoid = 'pg_event_trigger'::regclass then 'event trigger ' || o.identity
        else o.type || ' ' || o.identity
    end as target
) t
where (d.objoid >= 16384 or d.classoid = 'pg_namespace'::regclass)
  and (d.objoid >= 16384 or o.identity = 'public')
  and (o.schema is null or (o.schema !~ '^pg_' and o.schema <> 'information_schema'))
  and (d.classoid, d.objoid) not in (select h.classid, h.objid from hidden h)
union all
select 'comment', 'on current database', null, null, 'current database',
    json_build_object('text', s.description)::text
from pg_shdescription s
join pg_database db on db.oid = s.objoid
where s.classoid = 'pg_database'::regclass
  and db.datname = current_database()
