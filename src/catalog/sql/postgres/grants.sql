-- Grants that differ from the defaults. A NULL ACL means the default
-- (`acldefault(kind, owner)`), and GRANT then REVOKE leaves an explicit ACL equal to it:
-- both list nothing. One row per object and grantee: what was granted beyond the
-- default, and what was revoked from it.
, acl (object, schema, tbl, kind, owner, acl, additive) as (
    select
        format('%s %I.%I',
            case c.relkind
                when 'S' then 'sequence'
                when 'v' then 'view'
                when 'm' then 'materialized view'
                when 'f' then 'foreign table'
                else 'table'
            end,
            n.nspname, c.relname),
        n.nspname, c.relname,
        case c.relkind when 'S' then 's' else 'r' end::"char",
        c.relowner, c.relacl, false
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relacl is not null
      and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
  union all
    select
        format('column %I.%I.%I', n.nspname, c.relname, a.attname),
        n.nspname, c.relname, 'c'::"char", c.relowner, a.attacl, false
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where a.attacl is not null
      and a.attnum > 0
      and not a.attisdropped
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
  union all
    select
        format('%s %I.%I(%s)',
            case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
            n.nspname, p.proname, oidvectortypes(p.proargtypes)),
        n.nspname, null, 'f'::"char", p.proowner, p.proacl, false
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where p.proacl is not null
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and p.oid not in (select h.objid from hidden h where h.classid = 'pg_proc'::regclass)
  union all
    select format('schema %I', n.nspname), n.nspname, null, 'n'::"char", n.nspowner, n.nspacl, false
    from pg_namespace n
    where n.nspacl is not null
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and n.oid not in (select h.objid from hidden h where h.classid = 'pg_namespace'::regclass)
  union all
    select
        format('type %I.%I', n.nspname, t.typname),
        n.nspname, null, 'T'::"char", t.typowner, t.typacl, false
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    where t.typacl is not null
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and t.oid not in (select h.objid from hidden h where h.classid = 'pg_type'::regclass)
  union all
    -- ALTER DEFAULT PRIVILEGES: a global entry replaces the built-in defaults, a
    -- per-schema entry adds to them.
    select
        format('default privileges for role %I%s on %s',
            pg_get_userbyid(d.defaclrole),
            case when n.nspname is not null then format(' in schema %I', n.nspname) else '' end,
            case d.defaclobjtype
                when 'r' then 'tables'
                when 'S' then 'sequences'
                when 'f' then 'functions'
                when 'T' then 'types'
                when 'n' then 'schemas'
            end),
        n.nspname, null,
        case d.defaclobjtype when 'S' then 's' else d.defaclobjtype end::"char",
        d.defaclrole, d.defaclacl, n.nspname is not null
    from pg_default_acl d
    left join pg_namespace n on n.oid = d.defaclnamespace
),
item (object, schema, tbl, grantee, privilege, revoked) as (
    select a.object, a.schema, a.tbl, e.grantee,
        e.privilege_type
            || case when e.is_grantable then ' WITH GRANT OPTION' else '' end
            || case when e.grantor <> a.owner
                then ' GRANTED BY ' || pg_get_userbyid(e.grantor) else '' end,
        false
    from acl a
    cross join lateral aclexplode(a.acl) e
    where a.additive
       or not exists (
        select from aclexplode(acldefault(a.kind, a.owner)) x
        where (x.grantor, x.grantee, x.privilege_type, x.is_grantable)
            = (e.grantor, e.grantee, e.privilege_type, e.is_grantable)
    )
  union all
    select a.object, a.schema, a.tbl, x.grantee,
        x.privilege_type || case when x.is_grantable then ' WITH GRANT OPTION' else '' end,
        true
    from acl a
    cross join lateral aclexplode(acldefault(a.kind, a.owner)) x
    where not a.additive
      and not exists (
        select from aclexplode(a.acl) e
        where (x.grantor, x.grantee, x.privilege_type, x.is_grantable)
            = (e.grantor, e.grantee, e.privilege_type, e.is_grantable)
    )
)
select
    'grant' as kind,
    format('on %s to %s', i.object,
        case i.grantee when 0 then 'PUBLIC' else quote_ident(pg_get_userbyid(i.grantee)) end) as id,
    i.schema::text as schema,
    i.tbl::text as tbl,
    case i.grantee when 0 then 'PUBLIC' else pg_get_userbyid(i.grantee)::text end as name,
    json_build_object(
        'granted', json_agg(i.privilege order by i.privilege collate "C") filter (where not i.revoked),
        'revoked', json_agg(i.privilege order by i.privilege collate "C") filter (where i.revoked)
    )::text as attrs
from item i
group by i.object, i.schema, i.tbl, i.grantee
