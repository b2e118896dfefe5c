//! `mig resolve REV --applied|--reverted --reason TEXT` (SPEC section 13): records that
//! an interrupted step was repaired by hand. Under the migration lock, in one
//! transaction: `--applied` writes the version table as the step would have, both
//! delete the step's progress row and add a `resolve` history row with the reason. Runs
//! no revision statement.

use sqlx::AssertSqlSafe;

use super::cancel::or_interrupted;
use super::session::Session;
use super::EngineError;
use crate::config::Config;
use crate::db::history::{HistoryEntry, HistoryKind, StepProgress};
use crate::db::VersionSql;
use crate::db::{begin_immediate, read_state, Connection, DbError, HistoryTable};
use crate::execute::Interrupt;
use crate::revision::plan::{Plan, StepKind};
use crate::url::DatabaseUrl;

/// How the step was repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The rest of the step was done by hand: the version table moves as the step would.
    Applied,
    /// What the step did was undone by hand: the version table stays.
    Reverted,
}

impl Resolution {
    fn as_str(self) -> &'static str {
        match self {
            Resolution::Applied => "applied",
            Resolution::Reverted => "reverted",
        }
    }
}

/// Resolves the interrupted step of `revision`. `plan` gets the version rows and the
/// step's direction and returns the plan whose single step is the interrupted one (only
/// its version writes are used, and only for [`Resolution::Applied`]). Returns what was
/// recorded, in words.
pub async fn resolve<'p, F, E>(
    config: &Config,
    url: &DatabaseUrl,
    revision: &str,
    resolution: Resolution,
    reason: &str,
    plan: F,
) -> Result<String, EngineError<E>>
where
    F: FnOnce(&[String], StepKind) -> Result<Plan<'p>, E>,
{
    let settings = &config.exec;
    let interrupt = Interrupt::process();
    let mut session =
        or_interrupted(async { Ok(Session::open(url, settings).await?) }, interrupt).await?;
    let Some(table) = HistoryTable::new(session.conn.dialect(), settings) else {
        session.close().await;
        return Err(EngineError::HistoryDisabled);
    };
    let result = or_interrupted(
        async {
            let lock = session.lock(settings).await?;
            let done = record(
                &mut session.conn,
                config,
                &table,
                revision,
                resolution,
                reason,
                plan,
            )
            .await;
            session.unlock(lock, done).await
        },
        interrupt,
    )
    .await;
    session.close().await;
    result
}

async fn record<'p, F, E>(
    conn: &mut Connection,
    config: &Config,
    table: &HistoryTable,
    revision: &str,
    resolution: Resolution,
    reason: &str,
    plan: F,
) -> Result<String, EngineError<E>>
where
    F: FnOnce(&[String], StepKind) -> Result<Plan<'p>, E>,
{
    let version_table = &config.exec.version_table;
    table.add_missing_columns(conn).await?;
    let found = table.interrupted(conn).await?;
    let Some(step) = found.into_iter().find(|s| s.revision == revision) else {
        return Err(EngineError::Resolve(format!(
            "revision `{revision}` has no interrupted step to resolve (`mig status` lists \
             interrupted revisions)"
        )));
    };
    let (direction, kind) = match step.direction.as_str() {
        "downgrade" => (HistoryKind::Downgrade, StepKind::Downgrade),
        _ => (HistoryKind::Upgrade, StepKind::Upgrade),
    };
    let state = read_state(conn, version_table).await?;
    let version_sql = VersionSql::new(conn.dialect(), version_table);
    let mut statements = Vec::new();
    if resolution == Resolution::Applied {
        let plan = plan(&state.heads, kind).map_err(EngineError::Plan)?;
        let [only] = plan.steps.as_slice() else {
            return Err(EngineError::Resolve(format!(
                "the {} of `{revision}` is not the next step from the version table's rows \
                 [{}]; resolve it with --reverted, or move the version table with `mig stamp`",
                step.direction,
                state.heads.join(", ")
            )));
        };
        if only.revision().map(|r| r.id.as_str()) != Some(revision) {
            return Err(EngineError::Resolve(format!(
                "the next step from [{}] is not the {} of `{revision}`",
                state.heads.join(", "),
                step.direction
            )));
        }
        if !state.exists {
            statements.push(version_sql.create_table());
        }
        for op in &only.ops {
            let mut sql = String::new();
            version_sql.write_op(op, &mut sql);
            statements.push(sql);
        }
    }
    statements.push(table.progress_delete_sql(revision, direction));
    statements.push(table.insert_sql(&HistoryEntry {
        checksum: step.checksum.clone(),
        reason: Some(reason.to_string()),
        progress: Some(StepProgress {
            state: resolution.as_str().into(),
            ..step.progress.clone()
        }),
        ..HistoryEntry::now(HistoryKind::Resolve, Some(revision.to_string()))
    }));
    in_transaction(conn, statements).await?;
    let mut heads = state.heads.clone();
    if resolution == Resolution::Applied {
        let after = read_state(conn, version_table).await?;
        heads = after.heads;
    }
    let holds = if heads.is_empty() {
        "no revision".to_string()
    } else {
        heads.join(", ")
    };
    Ok(format!(
        "Resolved the interrupted {} of {revision} as {}; the version table holds {holds}\n",
        step.direction,
        resolution.as_str()
    ))
}

/// Runs `statements` in one transaction, rolled back when one fails.
async fn in_transaction(conn: &mut Connection, statements: Vec<String>) -> Result<(), DbError> {
    let action = "recording the resolution";
    let begin = match conn {
        Connection::Sqlite(lite) => begin_immediate(lite).await,
        _ => run(conn, "BEGIN".into(), action).await,
    };
    begin?;
    for sql in statements {
        if let Err(err) = run(conn, sql, action).await {
            let _ = run(conn, "ROLLBACK".into(), action).await;
            return Err(err);
        }
    }
    run(conn, "COMMIT".into(), action).await
}

async fn run(conn: &mut Connection, sql: String, action: &str) -> Result<(), DbError> {
    crate::on_connection!(&mut *conn, c => {
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
    })
    .map_err(|err| crate::db::query_error(action, &err))
}
