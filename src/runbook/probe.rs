//! The runbook's questions to a live database: server version, the session's user and
//! `search_path`, privileges tried for real inside transactions that are rolled back
//! (`CREATE SCHEMA`, `CREATE EXTENSION`, a table on SQLite), extension availability, the
//! time zone, where the version table is, and the user's DoD queries read back as text.
//! Nothing here is left behind in the database: every probe that writes is rolled back.
//!
//! The questions go to an [`Observer`]: the runbook's own session, opened as a migration
//! session is. Through a transaction-mode pooler nothing lives in that session, so what
//! depends on the session's settings (`search_path`, the rolled-back probes, the DoD
//! queries, the version table read) runs in a transaction of its own with the configured
//! `search_path` set for it, as a migration transaction sees it.

use sqlx::{AssertSqlSafe, Row as _, TypeInfo as _, ValueRef as _};

use crate::config::ExecSettings;
use crate::db::pooler::{self, Pooler};
use crate::db::{query_error, Connection, DbError};
use crate::dialect::SearchPath;
use crate::url::DatabaseUrl;

/// Rows as text (`None`: NULL).
pub type TextRows = Vec<Vec<Option<String>>>;

/// The schema name `CREATE SCHEMA` is tried with (rolled back).
pub const PROBE_SCHEMA: &str = "mig_runbook_probe";

/// The runbook's session on the target.
pub struct Observer {
    pub conn: Connection,
    /// Whether `conn` goes through a transaction-mode pooler.
    pub pooler: Pooler,
    /// `[mig] search_path`, set in each transaction through a transaction pooler (on the
    /// session otherwise, when it opened).
    search_path: Option<SearchPath>,
}

impl Observer {
    /// Connects as a migration session does ([`crate::db::open_detecting_pooler`]).
    pub async fn open(url: &DatabaseUrl, settings: &ExecSettings) -> Result<Observer, DbError> {
        let (conn, pooler) = crate::db::open_detecting_pooler(url, settings).await?;
        Ok(Observer {
            conn,
            pooler,
            search_path: settings.search_path.clone(),
        })
    }

    /// The PostgreSQL connection when it goes through a transaction pooler.
    fn pooled(&mut self) -> Option<&mut sqlx::postgres::PgConnection> {
        match &mut self.conn {
            Connection::Postgres(pg) if self.pooler.is_transaction() => Some(pg),
            _ => None,
        }
    }

    /// Through a transaction pooler, opens the transaction a read runs in (`search_path`
    /// set for it); nothing otherwise.
    pub async fn begin_read(&mut self) -> Result<(), DbError> {
        let search_path = self.search_path.clone();
        match self.pooled() {
            Some(pg) => pooler::begin_local(pg, search_path.as_ref()).await,
            None => Ok(()),
        }
    }

    /// Ends [`Observer::begin_read`]'s transaction.
    pub async fn end_read(&mut self) -> Result<(), DbError> {
        match self.pooled() {
            Some(pg) => pooler::commit(pg).await,
            None => Ok(()),
        }
    }

    /// `BEGIN` of a transaction that will be rolled back (with `search_path` set for it
    /// through a transaction pooler).
    async fn begin(&mut self) -> Result<(), String> {
        let search_path = self.search_path.clone();
        match self.pooled() {
            Some(pg) => pooler::begin_local(pg, search_path.as_ref())
                .await
                .map_err(|e| e.to_string()),
            None => exec(&mut self.conn, "BEGIN").await,
        }
    }

    /// Closes the connection; a failure to close politely changes nothing.
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}

/// The server product and version: `PostgreSQL 16.4 (Debian ...)`, `SQLite 3.46.0`.
pub async fn server_version(conn: &mut Connection) -> Result<String, DbError> {
    let action = "reading the server version";
    match conn {
        Connection::Postgres(pg) => {
            let version: String = sqlx::query_scalar("SELECT current_setting('server_version')")
                .persistent(false)
                .fetch_one(pg)
                .await
                .map_err(|e| query_error(action, &e))?;
            Ok(format!("PostgreSQL {version}"))
        }
        Connection::Sqlite(lite) => {
            let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                .persistent(false)
                .fetch_one(lite)
                .await
                .map_err(|e| query_error(action, &e))?;
            Ok(format!("SQLite {version}"))
        }
        Connection::Mysql(my) => {
            let version: String = sqlx::query_scalar("SELECT VERSION()")
                .persistent(false)
                .fetch_one(my)
                .await
                .map_err(|e| query_error(action, &e))?;
            Ok(format!("MySQL {version}"))
        }
    }
}

/// `user` on `database` (PostgreSQL), or `None` where the backend has no such notion.
pub async fn session_identity(conn: &mut Connection) -> Result<Option<String>, DbError> {
    let Connection::Postgres(pg) = conn else {
        return Ok(None);
    };
    let (user, database): (String, String) =
        sqlx::query_as("SELECT current_user::text, current_database()::text")
            .persistent(false)
            .fetch_one(pg)
            .await
            .map_err(|e| query_error("reading the session's user", &e))?;
    Ok(Some(format!("user `{user}` on database `{database}`")))
}

/// `current_setting('search_path')` as a migration sees it (PostgreSQL).
pub async fn search_path(observer: &mut Observer) -> Result<Option<String>, DbError> {
    if !matches!(observer.conn, Connection::Postgres(_)) {
        return Ok(None);
    }
    observer.begin_read().await?;
    let Connection::Postgres(pg) = &mut observer.conn else {
        return Ok(None);
    };
    let seen = sqlx::query_scalar("SELECT current_setting('search_path')")
        .persistent(false)
        .fetch_one(pg)
        .await
        .map_err(|e| query_error("reading `search_path`", &e));
    let ended = observer.end_read().await;
    let seen = seen?;
    ended?;
    Ok(Some(seen))
}

/// Runs `statement` inside a transaction that is always rolled back: `Ok` when the
/// server accepted it, else the server's message.
pub async fn try_rolled_back(observer: &mut Observer, statement: &str) -> Result<(), String> {
    observer.begin().await?;
    let result = exec(&mut observer.conn, statement).await;
    let rollback = exec(&mut observer.conn, "ROLLBACK").await;
    result.and(rollback)
}

async fn exec(conn: &mut Connection, sql: &str) -> Result<(), String> {
    let sql = sql.to_string();
    let result = crate::on_connection!(conn, c => {
        sqlx::raw_sql(AssertSqlSafe(sql.clone())).execute(c).await.map(|_| ())
    });
    result.map_err(|e| query_error(&format!("`{sql}`"), &e).to_string())
}

/// An extension in `pg_available_extensions`: default and installed versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub default_version: Option<String>,
    pub installed_version: Option<String>,
}

/// Whether the server can install extension `name` (`None`: not available).
pub async fn extension_availability(
    conn: &mut Connection,
    name: &str,
) -> Result<Option<Availability>, DbError> {
    let Connection::Postgres(pg) = conn else {
        return Ok(None);
    };
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT default_version::text, installed_version::text \
         FROM pg_catalog.pg_available_extensions WHERE name = $1",
    )
    .bind(name)
    .persistent(false)
    .fetch_optional(pg)
    .await
    .map_err(|e| query_error(&format!("looking up extension `{name}`"), &e))?;
    Ok(
        row.map(|(default_version, installed_version)| Availability {
            default_version,
            installed_version,
        }),
    )
}

/// The session's time zone and its offset from UTC now, in seconds (PostgreSQL).
pub async fn time_zone(conn: &mut Connection) -> Result<Option<(String, i64)>, DbError> {
    let Connection::Postgres(pg) = conn else {
        return Ok(None);
    };
    sqlx::query_as::<_, (String, i64)>(
        "SELECT current_setting('TimeZone'), extract(timezone FROM now())::bigint",
    )
    .persistent(false)
    .fetch_one(pg)
    .await
    .map(Some)
    .map_err(|e| query_error("reading the time zone", &e))
}

/// The query used to find every schema holding a table named like the version table.
pub fn version_table_query(conn: &Connection, table: &str) -> String {
    let name = table.replace('\'', "''");
    match conn {
        Connection::Postgres(_) => format!(
            "SELECT n.nspname::text FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = '{name}' AND c.relkind IN ('r', 'p') ORDER BY 1"
        ),
        Connection::Sqlite(_) | Connection::Mysql(_) => {
            format!("SELECT 'main' FROM sqlite_master WHERE type = 'table' AND name = '{name}'")
        }
    }
}

/// Runs `sql` inside a transaction that is rolled back, and reads every column of every
/// row as text (PostgreSQL booleans as `true`/`false`). The error is the server's message.
pub async fn text_rows(observer: &mut Observer, sql: &str) -> Result<TextRows, String> {
    observer.begin().await?;
    let rows = read_rows(&mut observer.conn, sql).await;
    let rollback = exec(&mut observer.conn, "ROLLBACK").await;
    let rows = rows?;
    rollback?;
    Ok(rows)
}

async fn read_rows(conn: &mut Connection, sql: &str) -> Result<TextRows, String> {
    let failed = |e: sqlx::Error| query_error("the query", &e).to_string();
    let sql = AssertSqlSafe(sql.to_string());
    match conn {
        Connection::Postgres(pg) => {
            let rows = sqlx::raw_sql(sql).fetch_all(pg).await.map_err(failed)?;
            rows.iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| {
                            let value = row.try_get_raw(i).map_err(|e| e.to_string())?;
                            if value.is_null() {
                                return Ok(None);
                            }
                            let boolean = value.type_info().name() == "BOOL";
                            let text = value.as_str().map_err(|e| e.to_string())?;
                            Ok(Some(match (boolean, text) {
                                (true, "t") => "true".to_string(),
                                (true, "f") => "false".to_string(),
                                _ => text.to_string(),
                            }))
                        })
                        .collect()
                })
                .collect()
        }
        Connection::Sqlite(lite) => {
            let rows = sqlx::raw_sql(sql).fetch_all(lite).await.map_err(failed)?;
            rows.iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| {
                            let null = row.try_get_raw(i).map_err(|e| e.to_string())?.is_null();
                            if null {
                                return Ok(None);
                            }
                            // SQLite's own text conversion (integers and reals as written).
                            Ok(Some(
                                row.try_get_unchecked::<String, _>(i)
                                    .unwrap_or_else(|_| "<blob>".into()),
                            ))
                        })
                        .collect()
                })
                .collect()
        }
        Connection::Mysql(_) => Err("runbook queries on MySQL are not supported yet".into()),
    }
}
