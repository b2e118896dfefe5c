-- The session holding mig's advisory lock: $1 = high 32 bits of the key (classid),
-- $2 = low 32 bits (objid). Columns hidden from unprivileged roles come back as NULL.
SELECT a.pid::bigint AS pid,
       a.application_name AS application_name,
       a.usename::text AS user_name,
       coalesce(host(a.client_addr) || ':' || a.client_port::text,
                CASE WHEN a.client_port = -1 THEN 'local socket' END) AS client,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
FROM pg_catalog.pg_locks AS l
JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.classid::bigint = $1
  AND l.objid::bigint = $2
  AND l.objsubid = 1
LIMIT 1
