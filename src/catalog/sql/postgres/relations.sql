-- Tables (also partitioned ones and partitions), views, materialized views and foreign
-- tables. Composite types (relkind 'c') come with the types; sequences on their own.
select
    case c.relkind
        when 'v' then 'view'
        when 'm' then 'materialized_view'
        when 'f' then 'foreign_table'
        else 'table'
    end as kind,
    format('%I.%I', n.nspname, c.relname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    c.relname::text as name,
    json_build_object(
        'owner', pg_get_userbyid(c.relowner),
        'persistence', case
            when c.relkind not in ('r', 'p', 'm') then null
            when c.relpersistence = 'u' then 'unlogged'
            else 'permanent'
        end,
        'partition_key', case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end,
        'partition_of', (
            select format('%I.%I', pn.nspname, pc.relname)
            from pg_inherits i
            join pg_class pc on pc.oid = i.inhparent
            join pg_namespace pn on pn.oid = pc.relnamespace
            where i.inhrelid = c.oid and c.relispartition
        ),
        'partition_bound', case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end,
        'inherits', (
            select json_agg(format('%I.%I', pn.nspname, pc.relname) order by i.inhseqno)
            from pg_inherits i
            join pg_class pc on pc.oid = i.inhparent
            join pg_namespace pn on pn.oid = pc.relnamespace
            where i.inhrelid = c.oid and not c.relispartition
        ),
        'row_security', case when c.relkind in ('r', 'p') then c.relrowsecurity end,
        'force_row_security', case when c.relkind in ('r', 'p') then c.relforcerowsecurity end,
        'replica_identity', case
            when c.relkind not in ('r', 'p') then null
            when c.relreplident = 'd' then 'default'
            when c.relreplident = 'n' then 'nothing'
            when c.relreplident = 'f' then 'full'
            when c.relreplident = 'i' then 'index'
        end,
        'options', (select json_agg(o order by o collate "C") from unnest(c.reloptions) o),
        'tablespace', (select t.spcname from pg_tablespace t where t.oid = c.reltablespace),
        'definition', case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end,
        'populated', case when c.relkind = 'm' then c.relispopulated end,
        'server', (
            select s.srvname
            from pg_foreign_table ft
            join pg_foreign_server s on s.oid = ft.ftserver
            where ft.ftrelid = c.oid
        ),
        'server_options', (
            select json_agg(o order by o collate "C")
            from pg_foreign_table ft, unnest(ft.ftoptions) o
            where ft.ftrelid = c.oid
        )
    )::text as attrs
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f')
  and n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
