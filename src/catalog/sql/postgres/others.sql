-- Everything else a migration can create, by existence (with a definition where the
-- server can print one): casts, collations, conversions, operators and their classes and
-- families, access methods, text search objects, foreign-data wrappers and servers,
-- user mappings, publications, extended statistics, rules, languages, transforms.
, object (classid, objid, rel, definition) as (
              select 'pg_cast'::regclass, oid, null::oid, null::text from pg_cast
    union all select 'pg_collation'::regclass, oid, null, null from pg_collation
    union all select 'pg_conversion'::regclass, oid, null, null from pg_conversion
    union all select 'pg_operator'::regclass, oid, null, null from pg_operator
    union all select 'pg_opclass'::regclass, oid, null, null from pg_opclass
    union all select 'pg_opfamily'::regclass, oid, null, null from pg_opfamily
    union all select 'pg_am'::regclass, oid, null, null from pg_am
    union all select 'pg_ts_config'::regclass, oid, null, null from pg_ts_config
    union all select 'pg_ts_dict'::regclass, oid, null, null from pg_ts_dict
    union all select 'pg_ts_parser'::regclass, oid, null, null from pg_ts_parser
    union all select 'pg_ts_template'::regclass, oid, null, null from pg_ts_template
    union all select 'pg_foreign_data_wrapper'::regclass, oid, null, null from pg_foreign_data_wrapper
    union all select 'pg_foreign_server'::regclass, oid, null, null from pg_foreign_server
    -- pg_user_mappings: the view any role may read (the table is for superusers only).
    union all select 'pg_user_mapping'::regclass, umid, null, null from pg_user_mappings
    union all select 'pg_publication'::regclass, oid, null, null from pg_publication
    union all select 'pg_language'::regclass, oid, null, null from pg_language
    union all select 'pg_transform'::regclass, oid, null, null from pg_transform
    union all
        select 'pg_statistic_ext'::regclass, s.oid, s.stxrelid, pg_get_statisticsobjdef(s.oid)
        from pg_statistic_ext s
    union all
        select 'pg_rewrite'::regclass, r.oid, r.ev_class, pg_get_ruledef(r.oid)
        from pg_rewrite r
        where r.rulename <> '_RETURN'
)
select
    'object' as kind,
    o.type || ' ' || o.identity as id,
    coalesce(rn.nspname::text, o.schema) as schema,
    rc.relname::text as tbl,
    o.identity as name,
    json_build_object('definition', x.definition)::text as attrs
from object x
cross join lateral pg_identify_object(x.classid, x.objid, 0) o
left join pg_class rc on rc.oid = x.rel
left join pg_namespace rn on rn.oid = rc.relnamespace
where x.objid >= 16384
  and (o.schema is null or (o.schema !~ '^pg_' and o.schema <> 'information_schema'))
  and (x.classid, x.objid) not in (select h.classid, h.objid from hidden h)
