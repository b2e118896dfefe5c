//! The checksum side of the history table: the drift check (`mig check`, `upgrade
//! --strict`) and `accept`. Drift is judged against each applied revision's latest
//! successful `upgrade` or `accept` row; revisions without one (applied by Alembic, or
//! stamped) are never reported.

use std::fmt;
use std::path::PathBuf;

use sqlx::AssertSqlSafe;

use super::cancel::or_interrupted;
use super::session::Session;
use super::EngineError;
use crate::config::Config;
use crate::db::history::{
    section_checksum, HistoryEntry, HistoryKind, HistoryTable, RecordedChecksum,
};
use crate::db::{Connection, DbError, PooledBegin};
use crate::execute::Interrupt;
use crate::revision::Revision;
use crate::url::DatabaseUrl;

/// An applied revision whose upgrade section changed since its checksum was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub revision: String,
    pub path: PathBuf,
    /// The checksum in the history table.
    pub recorded: String,
    /// When it was recorded (`YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub recorded_at: String,
    /// The checksum of the file now.
    pub current: String,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "revision `{}` (`{}`) changed since it was applied: its upgrade section's \
             checksum was `{}` (recorded {}), it is now `{}`; review the change and run \
             `mig accept {} --reason ...`",
            self.revision,
            self.path.display(),
            short_hash(&self.recorded),
            self.recorded_at,
            short_hash(&self.current),
            self.revision,
        )
    }
}

fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The drifted revisions among those `applied` finds at `heads`, read on `conn` (an
/// `upgrade` calls this under its lock, on its own session).
pub(super) async fn read_drift<'r, F, E>(
    conn: &mut Connection,
    config: &Config,
    heads: &[String],
    applied: F,
) -> Result<Vec<Drift>, EngineError<E>>
where
    F: FnOnce(&[String]) -> Result<Vec<&'r Revision>, E>,
{
    let revisions = applied(heads).map_err(EngineError::Plan)?;
    let Some(table) = HistoryTable::new(conn.dialect(), &config.exec) else {
        return Ok(Vec::new());
    };
    let recorded = table.recorded_checksums(conn).await?;
    Ok(judge(&recorded, &revisions))
}

/// The drifted revisions among `applied`: those whose upgrade section's checksum differs
/// from the one `recorded` for them (revisions without a recorded one never drift).
pub fn judge(recorded: &[RecordedChecksum], applied: &[&Revision]) -> Vec<Drift> {
    let mut drifts = Vec::new();
    for revision in applied {
        let Some(last) = recorded.iter().find(|r| r.revision == revision.id) else {
            continue;
        };
        let current = section_checksum(&revision.upgrade);
        if current != last.checksum {
            drifts.push(Drift {
                revision: revision.id.clone(),
                path: revision.path.clone(),
                recorded: last.checksum.clone(),
                recorded_at: last.recorded_at.clone(),
                current,
            });
        }
    }
    drifts
}

/// `accept`: records the current checksum of `revision`'s upgrade section with `reason`,
/// creating the history table (and the version table's schema) if missing.
pub async fn accept(
    config: &Config,
    url: &DatabaseUrl,
    revision: &Revision,
    reason: &str,
) -> Result<(), EngineError> {
    let settings = &config.exec;
    let mut session = Session::open(url, settings).await?;
    let dialect = session.conn.dialect();
    let Some(table) = HistoryTable::new(dialect, settings) else {
        session.close().await;
        return Err(EngineError::HistoryDisabled);
    };
    let entry = HistoryEntry {
        checksum: Some(section_checksum(&revision.upgrade)),
        reason: Some(reason.to_string()),
        ..HistoryEntry::now(HistoryKind::Accept, Some(revision.id.clone()))
    };
    let work = async {
        let pooled = session.pooled_begin(settings).await?;
        let lock = session.lock(settings).await?;
        let written = write_accept(&mut session.conn, &table, &entry, pooled.as_ref()).await;
        Ok(session.unlock(lock, written).await?)
    };
    let result = or_interrupted(work, Interrupt::process()).await;
    session.close().await;
    result
}

async fn write_accept(
    conn: &mut Connection,
    table: &HistoryTable,
    entry: &HistoryEntry,
    pooled: Option<&PooledBegin>,
) -> Result<(), DbError> {
    // Through a transaction pooler: one transaction, opened with its settings and lock,
    // around the look and the writes.
    if let (Some(pooled), Connection::Postgres(pg)) = (pooled, &mut *conn) {
        pooled.begin(pg).await?;
    }
    let mut statements = table.write_sql(conn, entry).await?;
    let transactional = conn.dialect().transactional_ddl();
    if transactional {
        if pooled.is_none() {
            statements.insert(0, "BEGIN".into());
        }
        statements.push("COMMIT".into());
    }
    for sql in &statements {
        let result = crate::on_connection!(&mut *conn, c => {
            sqlx::raw_sql(AssertSqlSafe(sql.as_str())).execute(c).await.map(|_| ())
        });
        if let Err(err) = result {
            if transactional {
                let _ = crate::on_connection!(&mut *conn, c => {
                    sqlx::raw_sql("ROLLBACK").execute(c).await.map(|_| ())
                });
            }
            return Err(crate::db::query_error(
                &format!("recording the accepted checksum in `{}`", table.qualified()),
                &err,
            ));
        }
    }
    Ok(())
}
