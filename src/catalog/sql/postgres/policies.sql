-- Row-level security policies, roles by name (sorted; 0 is PUBLIC).
select
    'policy' as kind,
    format('%I.%I.%I', n.nspname, c.relname, p.polname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    p.polname::text as name,
    json_build_object(
        'command', case p.polcmd
            when 'r' then 'SELECT'
            when 'a' then 'INSERT'
            when 'w' then 'UPDATE'
            when 'd' then 'DELETE'
            else 'ALL'
        end,
        'permissive', p.polpermissive,
        'roles', (
            select json_agg(g.name order by g.name collate "C")
            from (
                select case r when 0 then 'PUBLIC' else pg_get_userbyid(r)::text end as name
                from unnest(p.polroles) r
            ) g
        ),
        'using', pg_get_expr(p.polqual, p.polrelid),
        'with_check', pg_get_expr(p.polwithcheck, p.polrelid)
    )::text as attrs
from pg_policy p
join pg_class c on c.oid = p.polrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
