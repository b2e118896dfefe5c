-- Functions, procedures and aggregates, identified by their argument types (overloads
-- share a name; argument names are part of the definition, not of the identity).
-- `pg_get_functiondef` fails on aggregates: theirs come from `pg_aggregate`.
select
    case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end as kind,
    format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) as id,
    n.nspname::text as schema,
    null::text as tbl,
    p.proname::text as name,
    json_build_object(
        'owner', pg_get_userbyid(p.proowner),
        'definition', case when p.prokind <> 'a' then pg_get_functiondef(p.oid) end,
        'result', case when p.prokind = 'a' then pg_get_function_result(p.oid) end,
        'aggregate_kind', case g.aggkind
            when 'n' then 'normal'
            when 'o' then 'ordered-set'
            when 'h' then 'hypothetical-set'
        end,
        'state_function', g.aggtransfn::regprocedure::text,
        'state_type', format_type(g.aggtranstype, null),
        'final_function', nullif(g.aggfinalfn::oid, 0)::regprocedure::text,
        'final_extra', case when g.aggfinalextra then true end,
        'combine_function', nullif(g.aggcombinefn::oid, 0)::regprocedure::text,
        'serial_function', nullif(g.aggserialfn::oid, 0)::regprocedure::text,
        'deserial_function', nullif(g.aggdeserialfn::oid, 0)::regprocedure::text,
        'initial_value', g.agginitval,
        'moving_state_function', nullif(g.aggmtransfn::oid, 0)::regprocedure::text,
        'moving_inverse_function', nullif(g.aggminvtransfn::oid, 0)::regprocedure::text,
        'moving_state_type', case when g.aggmtranstype <> 0 then format_type(g.aggmtranstype, null) end,
        'moving_final_function', nullif(g.aggmfinalfn::oid, 0)::regprocedure::text,
        'moving_initial_value', g.aggminitval,
        'sort_operator', nullif(g.aggsortop, 0)::regoperator::text,
        'parallel', case when p.prokind = 'a' then case p.proparallel
            when 's' then 'safe'
            when 'r' then 'restricted'
            else 'unsafe'
        end end
    )::text as attrs
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
left join pg_aggregate g on g.aggfnoid = p.oid
where n.nspname !~ '^pg_'
  and n.nspname <> 'information_schema'
  and p.oid not in (select h.objid from hidden h where h.classid = 'pg_proc'::regclass)
