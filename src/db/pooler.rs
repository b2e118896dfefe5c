//! Transaction-mode poolers (Supabase's port 6543, PgBouncer or Supavisor with
//! `pool_mode = transaction`): whether a PostgreSQL URL goes through one, and how a unit of
//! work opens its transaction there. Through such a pooler each transaction may run on
//! another server connection, so nothing may live in the session: no session lock, no
//! session `SET`, no named prepared statement (mig's queries are all unnamed and run
//! inside transactions there).
//!
//! Detection (`[mig] pooler = auto`): Supabase's transaction port 6543, else a probe. The
//! probe reads this connection's backend pid, holds a transaction open on a second
//! connection, and compares: through a transaction pooler the second connection may get
//! the first one's former server connection, or the first one's next read another one
//! (or a wait for the held one); a direct or session-mode connection owns its backend.

use std::time::Duration;

use sqlx::postgres::PgConnection;
use sqlx::Connection as _;

use super::connect::{has_connection_check, BEGIN_WITH_CONNECTION_CHECK};
use super::lock::{acquire_postgres_xact, LockKey};
use super::{query_error, DbError};
use crate::config::PoolerSetting;
use crate::dialect::SearchPath;

/// Supabase's transaction-mode pooler port (its session mode is on 5432).
pub const SUPABASE_TRANSACTION_PORT: u16 = 6543;

/// How long the probe's second read may wait for the held server connection before that
/// wait itself counts as the answer.
const PROBE_WAIT: Duration = Duration::from_secs(2);

/// How many times the probe asks before it takes an unchanged backend as the answer.
const PROBE_ROUNDS: usize = 5;

/// What stands between mig and the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pooler {
    /// A direct connection or a session-mode pooler: one server session per connection.
    #[default]
    None,
    /// A transaction-mode pooler.
    Transaction(PoolerReason),
}

/// How the transaction pooler was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolerReason {
    /// `[mig] pooler = transaction` (or `MIG_POOLER`, `--pooler`).
    Configured,
    /// The URL's port is Supabase's transaction port 6543.
    SupabasePort,
    /// Two transactions of one connection ran on different server backends.
    BackendChanged,
}

impl Pooler {
    /// Whether the URL is a transaction-mode pooler.
    pub fn is_transaction(self) -> bool {
        matches!(self, Pooler::Transaction(_))
    }

    /// One line for `status`, `doctor` and the runbook header.
    pub fn describe(self) -> &'static str {
        match self {
            Pooler::None => "direct connection or session-mode pooler (session lock)",
            Pooler::Transaction(PoolerReason::Configured) => {
                "transaction-mode pooler (`pooler = transaction`): one transaction per unit, \
                 transaction-level lock"
            }
            Pooler::Transaction(PoolerReason::SupabasePort) => {
                "transaction-mode pooler (port 6543, Supabase's transaction pooler): one \
                 transaction per unit, transaction-level lock"
            }
            Pooler::Transaction(PoolerReason::BackendChanged) => {
                "transaction-mode pooler (detected: transactions ran on different server \
                 backends): one transaction per unit, transaction-level lock"
            }
        }
    }
}

/// Decides what `setting` means for a connection to `port`: `auto` asks the Supabase port,
/// then [`probe`]s with a second connection from `connect_again`.
pub async fn detect<F, Fut>(
    conn: &mut PgConnection,
    setting: PoolerSetting,
    port: Option<u16>,
    connect_again: F,
) -> Result<Pooler, DbError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<PgConnection, DbError>>,
{
    match known(setting, port) {
        Some(pooler) => Ok(pooler),
        None => {
            let mut other = connect_again().await?;
            let result = probe(conn, &mut other).await;
            let _ = other.close().await;
            result
        }
    }
}

/// What `setting` and `port` decide without asking the server (`None`: probe).
fn known(setting: PoolerSetting, port: Option<u16>) -> Option<Pooler> {
    match setting {
        PoolerSetting::None => Some(Pooler::None),
        PoolerSetting::Transaction => Some(Pooler::Transaction(PoolerReason::Configured)),
        PoolerSetting::Auto if port == Some(SUPABASE_TRANSACTION_PORT) => {
            Some(Pooler::Transaction(PoolerReason::SupabasePort))
        }
        PoolerSetting::Auto => None,
    }
}

/// Reads `conn`'s backend pid, then lets `other` open a transaction and reads both pids:
/// `other` on `conn`'s former backend, or `conn` on another one, is a transaction pooler
/// (a direct or session-mode connection owns its backend). A pooler busy with other
/// clients may hand out other server connections by chance, so an unchanged answer is
/// asked again, [`PROBE_ROUNDS`] times.
async fn probe(conn: &mut PgConnection, other: &mut PgConnection) -> Result<Pooler, DbError> {
    let failed = |err: sqlx::Error| query_error("probing for a transaction pooler", &err);
    for _ in 0..PROBE_ROUNDS {
        let first = backend_pid(conn).await.map_err(failed)?;
        sqlx::raw_sql("BEGIN")
            .execute(&mut *other)
            .await
            .map_err(failed)?;
        let held = backend_pid(other).await;
        let second = match held {
            Ok(pid) if pid == first => None,
            Ok(_) => Some(tokio::time::timeout(PROBE_WAIT, backend_pid(conn)).await),
            Err(err) => return Err(failed(err)),
        };
        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *other).await;
        let changed = match second {
            None => true,
            Some(Ok(pid)) => pid.map_err(failed)? != first,
            // Waiting for the server connection the other client holds: only a pooler
            // that shares server connections between clients makes one wait for another's
            // transaction.
            Some(Err(_)) => {
                backend_pid(conn).await.map_err(failed)?;
                true
            }
        };
        if changed {
            return Ok(Pooler::Transaction(PoolerReason::BackendChanged));
        }
    }
    Ok(Pooler::None)
}

/// `pg_backend_pid()` through the simple protocol: one message, one round trip, whatever
/// server connection the pooler picks for it.
async fn backend_pid(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::raw_sql("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await?;
    row.try_get::<i32, _>(0)
}

/// How each unit of work opens its transaction through a transaction pooler: `BEGIN`, the
/// session settings as `SET LOCAL`, then the transaction-level migration lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PooledBegin {
    /// The lock to take in each transaction (`None` with `lock = false`).
    pub lock: Option<LockKey>,
    pub lock_timeout: Duration,
    /// `[mig] search_path` as configured.
    pub search_path: Option<SearchPath>,
}

impl PooledBegin {
    /// Opens the unit's transaction on `conn`.
    pub async fn begin(&self, conn: &mut PgConnection) -> Result<(), DbError> {
        begin_local(conn, self.search_path.as_ref()).await?;
        if let Some(key) = &self.lock {
            acquire_postgres_xact(conn, key, self.lock_timeout).await?;
        }
        Ok(())
    }
}

/// `BEGIN`, then the settings mig keeps on its sessions elsewhere, for this transaction
/// only: `client_connection_check_interval` (14+) and `search_path`.
pub async fn begin_local(
    conn: &mut PgConnection,
    search_path: Option<&SearchPath>,
) -> Result<(), DbError> {
    let begin = if has_connection_check(conn) {
        BEGIN_WITH_CONNECTION_CHECK
    } else {
        "BEGIN"
    };
    sqlx::raw_sql(begin)
        .execute(&mut *conn)
        .await
        .map_err(|err| query_error("beginning a transaction", &err))?;
    if let Some(search_path) = search_path {
        super::connect::set_search_path(conn, search_path, true).await?;
    }
    Ok(())
}

/// `COMMIT` of a read-only unit.
pub async fn commit(conn: &mut PgConnection) -> Result<(), DbError> {
    sqlx::raw_sql("COMMIT")
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|err| query_error("committing", &err))
}

#[cfg(test)]
mod tests;
