//! Scratch databases: a uniquely named, empty database created on an existing PostgreSQL
//! server and dropped afterwards (`mig roundtrip --scratch`, per-test databases). Never
//! drops a database it did not create.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::ephemeral::encode;
use super::ProvisionError;
use crate::db::{connect_postgres, DbError};
use crate::url::DatabaseUrl;

/// A database created on a server for the duration of a job.
#[derive(Debug)]
pub struct ScratchDatabase {
    server_url: String,
    name: String,
    url: String,
    removed: bool,
}

impl ScratchDatabase {
    /// Creates `mig_scratch_<time>_<pid>_<n>` on the server `server_url` points at (any
    /// database on it the user may connect to; the role needs `CREATEDB`).
    pub async fn create(server_url: &str) -> Result<ScratchDatabase, ProvisionError> {
        ScratchDatabase::create_named(server_url, &unique_name("mig_scratch")).await
    }

    /// Creates database `name` (which must not exist yet) on the server of `server_url`.
    pub async fn create_named(
        server_url: &str,
        name: &str,
    ) -> Result<ScratchDatabase, ProvisionError> {
        create_database_at(server_url, name).await?;
        Ok(ScratchDatabase {
            server_url: server_url.to_string(),
            name: name.to_string(),
            url: with_database(server_url, name),
            removed: false,
        })
    }

    /// The scratch database's URL (the server URL with the database replaced).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database. Dropping the value without calling this drops it too, blocking.
    pub async fn remove(mut self) -> Result<(), ProvisionError> {
        self.removed = true;
        drop_database_at(&self.server_url, &self.name).await
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        // A Drop cannot await; a private runtime on a private thread also works when the
        // caller's runtime is single-threaded.
        let outcome = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| err.to_string())?
                .block_on(drop_database_at(&server_url, &name))
                .map_err(|err| err.to_string())
        })
        .join();
        if let Ok(Err(err)) = outcome {
            tracing::warn!("{err}");
        }
    }
}

/// `<prefix>_<UTC time>_<pid>_<n>`: unique across processes and calls, at most 63 bytes.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
    let suffix = format!("_{stamp}_{}_{n}", std::process::id());
    let keep = 63usize.saturating_sub(suffix.len());
    let prefix: String = prefix.chars().take(keep).collect();
    format!("{prefix}{suffix}")
}

/// The server URL, parsed (it names a database mig connects to, not the scratch one).
fn server(server_url: &str) -> Result<DatabaseUrl, DbError> {
    DatabaseUrl::parse(server_url).map_err(|err| DbError::Url {
        url: crate::url::redact_url(server_url),
        reason: err.to_string(),
    })
}

/// Creates the empty database `name` on the server `server_url` points at.
pub async fn create_database_at(server_url: &str, name: &str) -> Result<(), ProvisionError> {
    let mut conn = connect_postgres(&server(server_url)?, None).await?;
    let statement = format!("CREATE DATABASE {}", quote_ident(name));
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(&mut conn)
        .await
        .map_err(|err| statement_error(&format!("creating database `{name}`"), &err))?;
    Ok(())
}

/// Drops database `name` if it exists, disconnecting its sessions first.
pub async fn drop_database_at(server_url: &str, name: &str) -> Result<(), ProvisionError> {
    let mut conn = connect_postgres(&server(server_url)?, None).await?;
    let statement = format!("DROP DATABASE IF EXISTS {}", quote_ident(name));
    let action = format!("dropping database `{name}`");
    let mut attempts = 0;
    loop {
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(name)
        .persistent(false)
        .execute(&mut conn)
        .await
        .map_err(|err| statement_error(&action, &err))?;
        match sqlx::raw_sql(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&mut conn)
            .await
        {
            Ok(_) => return Ok(()),
            // 55006 object_in_use: a session was still on its way out.
            Err(sqlx::Error::Database(db))
                if db.code().as_deref() == Some("55006") && attempts < 20 =>
            {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(err) => return Err(statement_error(&action, &err)),
        }
    }
}

/// `server_url` with its database (the URL path) replaced by `database`.
pub fn with_database(server_url: &str, database: &str) -> String {
    let encoded = encode(database);
    let Some(scheme_end) = server_url.find("://").map(|at| at + 3) else {
        return server_url.to_string();
    };
    let (head, query) = match server_url.find('?') {
        Some(at) => server_url.split_at(at),
        None => (server_url, ""),
    };
    let authority_start = head[scheme_end..]
        .rfind('@')
        .map_or(scheme_end, |at| scheme_end + at + 1);
    let path_start = head[authority_start..]
        .find('/')
        .map_or(head.len(), |at| authority_start + at);
    format!("{}/{encoded}{query}", &head[..path_start])
}

/// Double-quotes an identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn statement_error(action: &str, err: &sqlx::Error) -> ProvisionError {
    ProvisionError::Database(crate::db::query_error(action, err))
}

impl From<DbError> for ProvisionError {
    fn from(err: DbError) -> Self {
        ProvisionError::Database(err)
    }
}

#[cfg(test)]
mod tests;
