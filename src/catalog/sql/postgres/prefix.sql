-- Prefix of every query but `hidden.sql` (joined in Rust with `concat!`): the hidden
-- objects that `hidden.sql` found, by the name the queries use.
with hidden (classid, objid) as (
    select h.classid, h.objid from hidden_all h
)
