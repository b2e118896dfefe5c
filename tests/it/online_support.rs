//! Builders for the online tests: revisions laid out as in a revision file (so error
//! locations are real file lines), their graph, hand-made plans whose steps hold the
//! graph's revisions, a linear planner, configs, and inspection helpers for PostgreSQL
//! and SQLite.

#![allow(dead_code)]

use std::path::PathBuf;

use mig::config::{Config, ExecSettings};
use mig::db::{connect_sqlite, SqliteLocation};
use mig::revision::graph::RevisionMap;
use mig::revision::plan::{Action, Plan, Step, VersionOp};
use mig::revision::{Downgrade, Revision, Section, TransactionMode};
use mig::url::DatabaseUrl;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;

/// Line of the upgrade section's first line in a revision file made by [`rev`]:
///
/// ```text
/// 1 -- <message>
/// 2 --
/// 3 -- Revision ID: <id>
/// 4 -- Revises: <down>
/// 5 -- Create Date: 2025-10-18 17:30:00+00:00
/// 6
/// 7 -- migrate:upgrade
/// 8 <upgrade ...>
///   (blank)
///   -- migrate:downgrade
///   <downgrade ...>
/// ```
pub const UPGRADE_LINE: usize = 8;

/// A revision whose upgrade and downgrade sections hold `upgrade` and `downgrade`
/// verbatim, at the lines a revision file would put them.
pub fn rev(id: &str, down: &[&str], upgrade: &str, downgrade: &str) -> Revision {
    let upgrade_lines = upgrade.lines().count().max(1);
    Revision {
        id: id.into(),
        down_revisions: down.iter().map(|d| d.to_string()).collect(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("revision {id}"),
        create_date: None,
        transaction: TransactionMode::Default,
        downgrade_keeps: Vec::new(),
        upgrade: Section {
            sql: upgrade.into(),
            line: UPGRADE_LINE,
        },
        downgrade: Downgrade::Sql(Section {
            sql: downgrade.into(),
            line: UPGRADE_LINE + upgrade_lines + 2,
        }),
        path: PathBuf::from(format!("versions/{id}.sql")),
        lines: Default::default(),
    }
}

/// Revision `id` after `down` whose upgrade creates table `t_<id>` and whose downgrade
/// drops it.
pub fn table_rev(id: &str, down: &[&str]) -> Revision {
    rev(
        id,
        down,
        &format!("CREATE TABLE t_{id} (id INTEGER);"),
        &format!("DROP TABLE t_{id};"),
    )
}

/// The same revision with `Transaction: none`.
pub fn outside_transaction(mut revision: Revision) -> Revision {
    revision.transaction = TransactionMode::None;
    revision
}

/// A chain of revisions `ids[0] <- ids[1] <- ...`, each creating table `t_<id>` and
/// recording its run in `side_effects` (which must exist).
pub fn chain(ids: &[&str]) -> Vec<Revision> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let down: Vec<&str> = i.checked_sub(1).map(|p| ids[p]).into_iter().collect();
            rev(
                id,
                &down,
                &format!(
                    "CREATE TABLE t_{id} (id INTEGER);\nINSERT INTO side_effects VALUES ('{id}');"
                ),
                &format!("DROP TABLE t_{id};"),
            )
        })
        .collect()
}

/// The graph of `revisions`, which must be valid: what the engine reads and the plans
/// below borrow from.
pub fn graph(revisions: Vec<Revision>) -> RevisionMap {
    RevisionMap::new(revisions).unwrap_or_else(|err| panic!("bad test graph: {err}"))
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The revision `id` of `map`.
fn get<'m>(map: &'m RevisionMap, id: &str) -> &'m Revision {
    match map.get(id) {
        Some(found) => found.revision(),
        None => panic!("no revision `{id}` in the test graph"),
    }
}

fn step<'m>(action: Action<'m>, from: &[&str], to: &[&str], ops: Vec<VersionOp>) -> Step<'m> {
    Step {
        action,
        from: ids(from),
        to: ids(to),
        ops,
    }
}

pub fn up<'m>(
    map: &'m RevisionMap,
    revision: &str,
    from: &[&str],
    to: &[&str],
    ops: Vec<VersionOp>,
) -> Step<'m> {
    step(Action::Upgrade(get(map, revision)), from, to, ops)
}

pub fn down<'m>(
    map: &'m RevisionMap,
    revision: &str,
    from: &[&str],
    to: &[&str],
    ops: Vec<VersionOp>,
) -> Step<'m> {
    step(Action::Downgrade(get(map, revision)), from, to, ops)
}

pub fn stamp(from: &[&str], to: &[&str], ops: Vec<VersionOp>) -> Step<'static> {
    step(Action::Stamp, from, to, ops)
}

pub fn ins(version: &str) -> VersionOp {
    VersionOp::Insert {
        version: version.into(),
    }
}

pub fn upd(from: &str, to: &str) -> VersionOp {
    VersionOp::Update {
        from: from.into(),
        to: to.into(),
    }
}

pub fn del(version: &str) -> VersionOp {
    VersionOp::Delete {
        version: version.into(),
    }
}

pub fn plan<'m>(start: &[&str], steps: Vec<Step<'m>>, end: &[&str]) -> Plan<'m> {
    Plan {
        steps,
        start_heads: ids(start),
        end_heads: ids(end),
    }
}

/// Where the single current head sits in the chain `ids` (`None`: no head).
fn head_index(ids: &[&str], heads: &[String]) -> Result<Option<usize>, String> {
    match heads {
        [] => Ok(None),
        [head] => ids
            .iter()
            .position(|i| i == head)
            .map(Some)
            .ok_or_else(|| format!("unknown revision `{head}`")),
        _ => Err("several heads".into()),
    }
}

fn finish<'m>(heads: &[String], steps: Vec<Step<'m>>, end: Option<&str>) -> Plan<'m> {
    Plan {
        end_heads: if steps.is_empty() {
            heads.to_vec()
        } else {
            end.map(|e| vec![e.to_string()]).unwrap_or_default()
        },
        steps,
        start_heads: heads.to_vec(),
    }
}

/// `upgrade <target>` over the linear chain `ids` of `map` from `heads`, as Alembic
/// plans it (nothing when the target is already applied).
pub fn upgrade_plan<'m>(
    map: &'m RevisionMap,
    ids: &[&str],
    heads: &[String],
    target: &str,
) -> Result<Plan<'m>, String> {
    let current = head_index(ids, heads)?;
    let target_index = ids
        .iter()
        .position(|i| *i == target)
        .ok_or_else(|| format!("unknown target `{target}`"))?;
    let start = current.map_or(0, |c| c + 1);
    let steps = (start..=target_index)
        .map(|i| match i.checked_sub(1).map(|p| ids[p]) {
            None => up(map, ids[i], &[], &[ids[i]], vec![ins(ids[i])]),
            Some(prev) => up(map, ids[i], &[prev], &[ids[i]], vec![upd(prev, ids[i])]),
        })
        .collect();
    Ok(finish(heads, steps, Some(target)))
}

/// `downgrade <target>` (`None` = base) over the linear chain `ids` of `map` from
/// `heads`.
pub fn downgrade_plan<'m>(
    map: &'m RevisionMap,
    ids: &[&str],
    heads: &[String],
    target: Option<&str>,
) -> Result<Plan<'m>, String> {
    let current = head_index(ids, heads)?;
    let keep = match target {
        None => 0,
        Some(t) => ids.iter().position(|i| *i == t).ok_or("unknown target")? + 1,
    };
    let steps = (keep..current.map_or(0, |c| c + 1))
        .rev()
        .map(|i| match i.checked_sub(1).map(|p| ids[p]) {
            None => down(map, ids[i], &[ids[i]], &[], vec![del(ids[i])]),
            Some(prev) => down(map, ids[i], &[ids[i]], &[prev], vec![upd(ids[i], prev)]),
        })
        .collect();
    Ok(finish(heads, steps, target))
}

/// A configuration with `settings` and no ini file.
pub fn config(settings: ExecSettings) -> Config {
    let mut config = Config::with_defaults("/nonexistent/alembic.ini");
    config.exec = settings;
    config
}

pub fn url(text: &str) -> DatabaseUrl {
    DatabaseUrl::parse(text).unwrap_or_else(|err| panic!("bad test URL: {err}"))
}

pub async fn pg(url: &str) -> PgConnection {
    crate::support::connect_pg(url).await.unwrap()
}

pub async fn lite(path: &std::path::Path) -> SqliteConnection {
    connect_sqlite(
        &SqliteLocation::File(path.to_path_buf()),
        std::time::Duration::from_secs(30),
    )
    .await
    .unwrap()
}

/// Runs `sql` (several statements allowed).
pub async fn exec_pg(conn: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .unwrap_or_else(|err| panic!("`{sql}` failed: {err}"));
}

pub async fn exec_lite(conn: &mut SqliteConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .unwrap_or_else(|err| panic!("`{sql}` failed: {err}"));
}

/// One text column of every row of `sql`, in order.
pub async fn strings_pg(conn: &mut PgConnection, sql: &str) -> Vec<String> {
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_all(conn)
        .await
        .unwrap_or_else(|err| panic!("`{sql}` failed: {err}"))
}

pub async fn strings_lite(conn: &mut SqliteConnection, sql: &str) -> Vec<String> {
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_all(conn)
        .await
        .unwrap_or_else(|err| panic!("`{sql}` failed: {err}"))
}

/// Whether `name` (possibly schema-qualified) is a table on PostgreSQL.
pub async fn pg_table_exists(conn: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar::<_, bool>("SELECT to_regclass($1) IS NOT NULL")
        .bind(name)
        .fetch_one(conn)
        .await
        .unwrap()
}

/// A trigger logging every change of `alembic_version` into `version_log` as
/// `INSERT a`, `UPDATE a->b`, `DELETE a` (the version table must exist).
pub const PG_VERSION_LOG: &str = "
CREATE TABLE version_log (seq SERIAL PRIMARY KEY, entry TEXT NOT NULL);
CREATE FUNCTION log_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO version_log (entry) VALUES (CASE TG_OP
    WHEN 'INSERT' THEN 'INSERT ' || NEW.version_num
    WHEN 'UPDATE' THEN 'UPDATE ' || OLD.version_num || '->' || NEW.version_num
    ELSE 'DELETE ' || OLD.version_num END);
  RETURN NULL;
END $$;
CREATE TRIGGER log_version AFTER INSERT OR UPDATE OR DELETE ON alembic_version
  FOR EACH ROW EXECUTE FUNCTION log_version();
";

pub const SQLITE_VERSION_LOG: &str = "
CREATE TABLE version_log (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
CREATE TRIGGER log_insert AFTER INSERT ON alembic_version BEGIN
  INSERT INTO version_log (entry) VALUES ('INSERT ' || NEW.version_num); END;
CREATE TRIGGER log_update AFTER UPDATE ON alembic_version BEGIN
  INSERT INTO version_log (entry) VALUES ('UPDATE ' || OLD.version_num || '->' || NEW.version_num); END;
CREATE TRIGGER log_delete AFTER DELETE ON alembic_version BEGIN
  INSERT INTO version_log (entry) VALUES ('DELETE ' || OLD.version_num); END;
";

pub const LOG_QUERY: &str = "SELECT entry FROM version_log ORDER BY seq";
