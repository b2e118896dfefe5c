-- The whole snapshot in one statement: the hidden objects once (the text of
-- `hidden.sql` goes after `with recursive`), then every query of this directory as one
-- branch of a `union all` (joined in Rust, in place of the rows placeholder), each row
-- led by its query's name. One parse, one plan, one round trip, and one statement to
-- prepare where a session takes many snapshots.
with recursive {hidden}
{rows}
