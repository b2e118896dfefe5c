//! Stopping an online command on SIGINT/SIGTERM (SPEC section 13): the engine waits for
//! the [`Interrupt`] beside its work, and when it is raised asks the server, from a
//! second short connection, to cancel whatever the session is running (PostgreSQL
//! `pg_cancel_backend`, MySQL `KILL QUERY`; SQLite has no second session, so only the
//! sink's check before each statement stops it). The work then fails as for a failing
//! statement: rolled back, lock released, state explained. Nothing here rolls back.

use std::future::Future;

use crate::config::{ExecSettings, PoolerSetting};
use crate::db::{Connection, Pooler};
use crate::execute::Interrupt;
use crate::url::DatabaseUrl;

use super::EngineError;

/// The server session to cancel, found right after connecting.
pub(super) struct Canceller {
    url: DatabaseUrl,
    settings: ExecSettings,
    target: Target,
}

enum Target {
    Postgres(i32),
    Mysql(u64),
    None,
}

impl Canceller {
    /// Reads the session's id on the server (none for SQLite, when that fails, or through
    /// a transaction pooler, where the server backend changes between transactions and
    /// a cancel by its id could stop another client's statement).
    pub async fn new(
        conn: &mut Connection,
        pooler: Pooler,
        url: &DatabaseUrl,
        settings: &ExecSettings,
    ) -> Self {
        let target = match conn {
            _ if pooler.is_transaction() => Target::None,
            Connection::Postgres(pg) => sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()")
                .persistent(false)
                .fetch_one(pg)
                .await
                .map_or(Target::None, Target::Postgres),
            Connection::Mysql(my) => sqlx::query_scalar::<_, u64>("SELECT CONNECTION_ID()")
                .persistent(false)
                .fetch_one(my)
                .await
                .map_or(Target::None, Target::Mysql),
            Connection::Sqlite(_) => Target::None,
        };
        Canceller {
            url: url.clone(),
            settings: settings.clone(),
            target,
        }
    }

    /// Asks the server to cancel the session's running statement; failures are logged
    /// only (the sink stops before the next statement anyway).
    pub async fn cancel(&self) {
        let sql = match self.target {
            Target::Postgres(pid) => format!("SELECT pg_cancel_backend({pid})"),
            Target::Mysql(id) => format!("KILL QUERY {id}"),
            Target::None => return,
        };
        // One short connection: no search_path to set, and no pooler probe (which
        // would open another): a target exists only when the session is not pooled.
        let mut settings = self.settings.clone();
        settings.search_path = None;
        settings.pooler = PoolerSetting::None;
        let result = match crate::db::open(&self.url, &settings).await {
            Ok(mut conn) => {
                let sent = crate::on_connection!(&mut conn, c => {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(c).await.map(|_| ())
                });
                let _ = conn.close().await;
                sent.map_err(|e| crate::db::diagnose::sqlx_message(&e))
            }
            Err(err) => Err(err.to_string()),
        };
        if let Err(err) = result {
            tracing::warn!(target: "mig", "could not ask the server to cancel the running statement: {err}");
        }
    }
}

/// Runs `work` to its end; when `interrupt` is raised meanwhile, sends the cancel
/// request once and keeps waiting for `work`, which then fails.
pub(super) async fn cancelling<T>(
    work: impl Future<Output = T>,
    interrupt: &Interrupt,
    canceller: &Canceller,
) -> T {
    let watch = async {
        let code = interrupt.raised().await;
        tracing::warn!(
            target: "mig",
            "{} received: cancelling the running statement and rolling back",
            Interrupt::signal_name(code)
        );
        canceller.cancel().await;
        std::future::pending::<std::convert::Infallible>().await
    };
    tokio::select! {
        result = work => result,
        never = watch => match never {},
    }
}

/// Runs `work` unless `interrupt` is raised first; then `work` is dropped (a read-only
/// or not yet started piece of work: the dropped connection ends the server session).
pub(super) async fn or_interrupted<T, E>(
    work: impl Future<Output = Result<T, EngineError<E>>>,
    interrupt: &Interrupt,
) -> Result<T, EngineError<E>> {
    tokio::select! {
        result = work => result,
        code = interrupt.raised() => Err(EngineError::Signal { code, failure: None }),
    }
}
