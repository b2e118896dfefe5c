-- Objects that are not listed on their own, as (classid, objid) pairs: the first common
-- table expression of the snapshot statement (`snapshot.sql`, after `with recursive`),
-- computed once and read by every query through `prefix.sql`. Extension members,
-- recursively: only an extension's top-level members carry `deptype = 'e'`, their parts
-- (indexes, defaults, constraints, array types) hang off them with 'a' (auto) or 'i'
-- (internal). And functions and casts that are internal parts of another object (the
-- constructors and casts a range type brings).
hidden_all (classid, objid) as (
    select d.classid, d.objid
    from pg_depend d
    where d.deptype = 'e'
       or (d.deptype = 'i' and d.classid in ('pg_proc'::regclass, 'pg_cast'::regclass))
  union
    select d.classid, d.objid
    from hidden_all h
    cross join lateral (
        select d.classid, d.objid
        from pg_depend d
        where d.refclassid = h.classid and d.refobjid = h.objid and d.deptype in ('a', 'i')
    ) d
)
