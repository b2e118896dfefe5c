-- Objects that are not listed on their own, as (classid, objid) pairs, fetched once and
-- passed to every other query as `$1`, `$2`. Extension members, recursively: only an
-- extension's top-level members carry `deptype = 'e'`, their parts (indexes, defaults,
-- constraints, array types) hang off them with 'a' (auto) or 'i' (internal). And
-- functions and casts that are internal parts of another object (the constructors and
-- casts a range type brings).
with recursive hidden (classid, objid) as (
    select d.classid, d.objid
    from pg_depend d
    where d.deptype = 'e'
       or (d.deptype = 'i' and d.classid in ('pg_proc'::regclass, 'pg_cast'::regclass))
  union
    select d.classid, d.objid
    from hidden h
    cross join lateral (
        select d.classid, d.objid
        from pg_depend d
        where d.refclassid = h.classid and d.refobjid = h.objid and d.deptype in ('a', 'i')
    ) d
)
select
    coalesce(array_agg(h.classid::int8 order by h.classid, h.objid), '{}') as classids,
    coalesce(array_agg(h.objid::int8 order by h.classid, h.objid), '{}') as objids
from hidden h
