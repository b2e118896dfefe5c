-- Prefix of every query but `hidden.sql` (joined in Rust with `concat!`): the hidden
-- objects that `hidden.sql` found, passed back as two arrays.
with hidden (classid, objid) as (
    select u.classid::oid, u.objid::oid
    from unnest($1::int8[], $2::int8[]) u (classid, objid)
)
