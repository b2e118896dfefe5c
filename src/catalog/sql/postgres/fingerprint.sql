-- The catalog's fingerprint: one hash per object kind over exactly the rows the
-- snapshot queries return (each query's rows, as record text, hashed and sorted), so
-- that equal fingerprints mean equal snapshots. The placeholders are replaced in Rust:
-- the hidden one by `hidden.sql`, the rows one by the snapshot queries, each as
-- `select kind, md5(q::text) from (<query>) q`, joined with `union all`.
with recursive {hidden}
select f.kind, md5(string_agg(f.h, '' order by f.h)) as hash
from ({rows}
) f (kind, h)
group by f.kind
