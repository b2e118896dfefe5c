//! One engine session kept open for several runs (the roundtrip verifier moves its
//! database up and down hundreds of times): it connects, tells a transaction pooler and
//! finds the server session to cancel once; each run then takes the migration lock,
//! reads the version table under it, plans, applies and releases the lock, exactly as a
//! one-shot `upgrade` does after connecting (which is this: connect, one run,
//! [`KeptSession::close`]).
//!
//! Between runs, [`KeptSession::reset`] puts the session back as it was opened, so that
//! what a revision left on it (a session `SET`, `SET ROLE`, temporary tables, advisory
//! locks, `LISTEN`, prepared statements) does not reach the next run, as with a new
//! connection. PostgreSQL resets in place (what `DISCARD ALL` does, then mig's own
//! session settings again), unless a revision changed the defaults a new session starts
//! from (`ALTER DATABASE ... SET`); then, and always for SQLite and MySQL, it connects
//! again.

use std::convert::Infallible;

use super::cancel::{cancelling, or_interrupted, Canceller};
use super::run::Run;
use super::session::Session;
use super::unfinished::Unfinished;
use super::{DriftCheck, EngineError, Outcome};
use crate::config::Config;
use crate::db::{query_error, read_state, Connection, DbError, Pooler};
use crate::execute::Interrupt;
use crate::revision::graph::RevisionMap;
use crate::revision::plan::Plan;
use crate::url::DatabaseUrl;

/// What `DISCARD ALL` does, but in a statement list (which `DISCARD ALL` refuses) and
/// leaving sqlx's own protocol-level statements alone: the statements a revision
/// prepared with `PREPARE` go one by one (in PL/pgSQL; without it the reset fails and
/// the caller connects again). The lock is released before this runs.
const RESET_POSTGRES: &str = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; \
    UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; \
    DISCARD SEQUENCES; \
    DO $$ DECLARE s text; BEGIN \
    FOR s IN SELECT name FROM pg_catalog.pg_prepared_statements WHERE from_sql LOOP \
    EXECUTE pg_catalog.format('DEALLOCATE %I', s); END LOOP; END $$";

/// The per-database and per-role defaults (`ALTER DATABASE ... SET`, `ALTER ROLE ...
/// SET`) a new session starts from, as one text: a revision that changes them makes a new
/// session differ from a reset one.
const SESSION_DEFAULTS: &str = "SELECT coalesce(string_agg(s.setdatabase::text || '/' || \
    s.setrole::text || '/' || array_to_string(s.setconfig, ','), ';' \
    ORDER BY s.setdatabase, s.setrole), '') FROM pg_catalog.pg_db_role_setting s";

/// How [`KeptSession::reset`] put the session back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reset {
    /// Reset in place.
    InPlace,
    /// Connected again: SQLite and MySQL always, PostgreSQL when a revision changed the
    /// defaults a new session starts from (other connections to the database should
    /// connect again too, to see what a new one sees).
    Reconnected,
}

/// An open engine session; see the module documentation.
pub struct KeptSession {
    session: Session,
    canceller: Canceller,
    url: DatabaseUrl,
    /// [`SESSION_DEFAULTS`] when the session opened (PostgreSQL without a transaction
    /// pooler).
    defaults: Option<String>,
    /// Interrupted half-way through a statement: the connection cannot be closed
    /// politely, only dropped (which ends the server session, and a lock granted
    /// meanwhile with it).
    broken: bool,
}

impl KeptSession {
    /// Connects to `url` (telling a transaction pooler as `[mig] pooler` says) and sets
    /// the session up as every run of the engine does; notes the defaults a new session
    /// starts from, for [`KeptSession::reset`].
    pub async fn open<E>(
        config: &Config,
        url: &DatabaseUrl,
    ) -> Result<KeptSession, EngineError<E>> {
        let mut kept = KeptSession::once(config, url).await?;
        if let (Connection::Postgres(pg), false) =
            (&mut kept.session.conn, kept.session.pooler.is_transaction())
        {
            kept.defaults = Some(session_defaults(pg).await?);
        }
        Ok(kept)
    }

    /// [`KeptSession::open`] for one run and [`KeptSession::close`] (never reset).
    pub(super) async fn once<E>(
        config: &Config,
        url: &DatabaseUrl,
    ) -> Result<KeptSession, EngineError<E>> {
        let settings = &config.exec;
        let mut session = or_interrupted(
            async { Ok(Session::open(url, settings).await?) },
            Interrupt::process(),
        )
        .await?;
        let canceller = Canceller::new(&mut session.conn, session.pooler, url, settings).await;
        Ok(KeptSession {
            session,
            canceller,
            url: url.clone(),
            defaults: None,
            broken: false,
        })
    }

    /// `upgrade` or `downgrade` (the plan's steps say which way) on this session: plans
    /// from the heads read under the lock with `plan`, and applies the plan.
    pub async fn migrate<'p, F, E>(
        &mut self,
        config: &Config,
        map: &RevisionMap,
        plan: F,
    ) -> Result<Outcome, EngineError<E>>
    where
        F: FnMut(&[String]) -> Result<Plan<'p>, E>,
    {
        self.run(config, map, false, Unfinished::Refuse, None, plan)
            .await
    }

    /// `ensure-version` on this session: creates the version table's schema and the
    /// table if missing.
    pub async fn ensure_version(&mut self, config: &Config) -> Result<(), EngineError> {
        let none = RevisionMap::default();
        self.run(config, &none, false, Unfinished::Ignore, None, stay)
            .await
            .map(|_| ())
    }

    /// `current` on this session: the version table's rows (empty when it does not
    /// exist; never created).
    pub async fn current(&mut self, config: &Config) -> Result<Vec<String>, EngineError> {
        let session = &mut self.session;
        or_interrupted(
            async {
                let state = match session.begin_read(&config.exec).await {
                    Ok(()) => read_state(&mut session.conn, &config.exec.version_table).await,
                    Err(err) => Err(err),
                };
                let ended = session.end_read().await;
                let state = state?;
                ended?;
                Ok(state.heads)
            },
            Interrupt::process(),
        )
        .await
    }

    /// Whether the connection goes through a transaction-mode pooler.
    pub fn pooler(&self) -> Pooler {
        self.session.pooler
    }

    /// Puts the session back as a new one would start (see the module documentation).
    /// Through a transaction pooler nothing lives in the session, so nothing is reset. On
    /// an error the session is unusable: close it and open another.
    pub async fn reset(&mut self, config: &Config) -> Result<Reset, EngineError> {
        let settings = &config.exec;
        if self.session.pooler.is_transaction() {
            return Ok(Reset::InPlace);
        }
        if let (Connection::Postgres(pg), Some(defaults)) = (&mut self.session.conn, &self.defaults)
        {
            if session_defaults(pg).await? == *defaults {
                sqlx::raw_sql(RESET_POSTGRES)
                    .execute(&mut *pg)
                    .await
                    .map_err(|err| query_error("resetting the session", &err))?;
                crate::db::connect::session_settings(pg, settings.search_path.as_ref()).await?;
                return Ok(Reset::InPlace);
            }
        }
        let fresh = KeptSession::open(config, &self.url).await?;
        let old = std::mem::replace(self, fresh);
        old.close().await;
        Ok(Reset::Reconnected)
    }

    /// Closes the connection (or drops it, after an interrupted wait).
    pub async fn close(self) {
        if !self.broken {
            self.session.close().await;
        }
    }

    /// One locked run: lock, read the version table, plan, apply, unlock; on
    /// SIGINT/SIGTERM, cancel, roll back, unlock.
    pub(super) async fn run<'p, F, E>(
        &mut self,
        config: &Config,
        map: &RevisionMap,
        purge: bool,
        unfinished: Unfinished,
        check: Option<DriftCheck<'_, '_, E>>,
        planner: F,
    ) -> Result<Outcome, EngineError<E>>
    where
        F: FnMut(&[String]) -> Result<Plan<'p>, E>,
    {
        let settings = &config.exec;
        let interrupt = Interrupt::process();
        let session = &mut self.session;
        let locked = or_interrupted(
            async {
                let pooled = session.pooled_begin(settings).await?;
                let lock = session.lock(settings).await?;
                Ok((lock, pooled))
            },
            interrupt,
        )
        .await;
        let (lock, pooled) = match locked {
            Ok(locked) => locked,
            Err(err) => {
                self.broken = matches!(err, EngineError::Signal { .. });
                return Err(err);
            }
        };
        let run = Run {
            config,
            password: self.url.password(),
            search_path: session.search_path.clone(),
            purge,
            unfinished,
            interrupt,
            pooled,
            transaction_open: false,
        };
        let work = run.apply(&mut session.conn, map, check, planner);
        let result = cancelling(work, interrupt, &self.canceller).await;
        session.unlock(lock, result).await
    }
}

/// The plan that moves nothing: `ensure-version`'s.
pub(super) fn stay(heads: &[String]) -> Result<Plan<'static>, Infallible> {
    Ok(Plan {
        steps: Vec::new(),
        start_heads: heads.to_vec(),
        end_heads: heads.to_vec(),
    })
}

/// [`SESSION_DEFAULTS`] now.
async fn session_defaults(pg: &mut sqlx::PgConnection) -> Result<String, DbError> {
    sqlx::query_scalar(SESSION_DEFAULTS)
        .persistent(false)
        .fetch_one(pg)
        .await
        .map_err(|err| query_error("reading the session defaults", &err))
}
