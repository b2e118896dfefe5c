-- Prefix of every other query in this directory (joined in Rust with `concat!`).
-- `hidden`: objects that are not listed on their own. Extension members, recursively:
-- only an extension's top-level members carry `deptype = 'e'`, their parts (indexes,
-- defaults, constraints, array types) hang off them with 'a' (auto) or 'i' (internal).
-- And functions and casts that are internal parts of another object (the constructors
-- and casts a range type brings).
with recursive hidden (classid, objid) as (
    select d.classid, d.objid
    from pg_depend d
    where d.deptype = 'e'
       or (d.deptype = 'i' and d.classid in ('pg_proc'::regclass, 'pg_cast'::regclass))
  union
    select d.classid, d.objid
    from pg_depend d
    join hidden h on d.refclassid = h.classid and d.refobjid = h.objid
    where d.deptype in ('a', 'i')
)
