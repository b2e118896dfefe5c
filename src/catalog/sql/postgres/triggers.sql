-- Triggers (not the internal ones behind foreign keys), with their enabled state that
-- only `tgenabled` shows; then event triggers.
select
    'trigger' as kind,
    format('%I.%I.%I', n.nspname, c.relname, t.tgname) as id,
    n.nspname::text as schema,
    c.relname::text as tbl,
    t.tgname::text as name,
    json_build_object(
        'definition', pg_get_triggerdef(t.oid),
        'enabled', case t.tgenabled
            when 'O' then 'origin'
            when 'D' then 'disabled'
            when 'R' then 'replica'
            when 'A' then 'always'
        end
    )::text as attrs
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
where not t.tgisinternal
  and n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and c.oid not in (select h.objid from hidden h where h.classid = 'pg_class'::regclass)
union all
select
    'event_trigger' as kind,
    format('%I', e.evtname) as id,
    null::text as schema,
    null::text as tbl,
    e.evtname::text as name,
    json_build_object(
        'owner', pg_get_userbyid(e.evtowner),
        'event', e.evtevent,
        'function', e.evtfoid::regprocedure::text,
        'enabled', case e.evtenabled
            when 'O' then 'origin'
            when 'D' then 'disabled'
            when 'R' then 'replica'
            when 'A' then 'always'
        end,
        'tags', (select json_agg(g order by g collate "C") from unnest(e.evttags) g)
    )::text as attrs
from pg_event_trigger e
where e.oid not in (select h.objid from hidden h where h.classid = 'pg_event_trigger'::regclass)
