-- Comments on any object, named the way the server names them. Objects created by
-- initdb are left out, except the `public` schema; so are hidden objects. `tbl` is the
-- relation a comment hangs off (a column's, an index's, a constraint's table).
select
    'comment' as kind,
    'on ' || o.type || ' ' || o.identity as id,
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
left join lateral (
    select case d.classoid
        when 'pg_class'::regclass then (
            select coalesce(i.indrelid, d.objoid)
            from (select) dummy
            left join pg_index i on i.indexrelid = d.objoid
        )
        when 'pg_constraint'::regclass then (
            select nullif(k.conrelid, 0) from pg_constraint k where k.oid = d.objoid
        )
        when 'pg_trigger'::regclass then (
            select t.tgrelid from pg_trigger t where t.oid = d.objoid
        )
        when 'pg_policy'::regclass then (
            select p.polrelid from pg_policy p where p.oid = d.objoid
        )
        when 'pg_rewrite'::regclass then (
            select r.ev_class from pg_rewrite r where r.oid = d.objoid
        )
    end as oid
) rel on true
left join pg_class rc on rc.oid = rel.oid
left join pg_namespace rn on rn.oid = rc.relnamespace
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
