-- The whole SQLite catalog in one statement: one row per schema object, column, index
-- (with its key columns, their order and collation) and foreign-key column, each as
-- (part, table, JSON). SQLite's own objects (`sqlite_sequence`, `sqlite_stat*`, `sqlite_autoindex_*`) are left out.
select 'object' as part, s.tbl_name as tbl, json_object(
    'type', s.type,
    'name', s.name,
    'sql', s.sql,
    'strict', t."strict",
    'without_rowid', t.wr
) as data
from sqlite_schema s
left join pragma_table_list t on t.schema = 'main' and t.name = s.name and s.type = 'table'
where s.name not like 'sqlite\_%' escape '\'
union all
select 'column', s.name, json_object(
    'cid', c.cid,
    'name', c.name,
    'type', c.type,
    'not_null', c."notnull",
    'default', c.dflt_value,
    'pk', c.pk,
    'hidden', c.hidden
)
from sqlite_schema s
join pragma_table_xinfo(s.name) c
where s.type in ('table', 'view') and s.name not like 'sqlite\_%' escape '\'
union all
select 'index', s.name, json_object(
    'name', i.name,
    'unique', i."unique",
    'origin', i.origin,
    'partial', i.partial,
    'columns', (
        select json_group_array(coalesce(x.name, '<expression>'))
        from (
            select k.name
            from pragma_index_xinfo(i.name) k
            where k.key = 1
            order by k.seqno
        ) x
    ),
    'keys', (
        select json_group_array(json_object('name', x.name, 'desc', x."desc", 'coll', x.coll))
        from (
            select k.name, k."desc", k.coll
            from pragma_index_xinfo(i.name) k
            where k.key = 1
            order by k.seqno
        ) x
    )
)
from sqlite_schema s
join pragma_index_list(s.name) i
where s.type = 'table' and s.name not like 'sqlite\_%' escape '\'
union all
select 'foreign_key', s.name, json_object(
    'id', f.id,
    'seq', f.seq,
    'table', f."table",
    'from', f."from",
    'to', f."to",
    'on_update', f.on_update,
    'on_delete', f.on_delete,
    'match', f."match"
)
from sqlite_schema s
join pragma_foreign_key_list(s.name) f
where s.type = 'table' and s.name not like 'sqlite\_%' escape '\'
