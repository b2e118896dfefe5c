//! Scratch databases: a uniquely named, empty database created on an existing PostgreSQL
//! server and dropped afterwards (`mig roundtrip --scratch`, per-test databases). Never
//! drops a database it did not create.

use std::sync::atomic::{AtomicU32, Ordering};

use super::database::{create_database_at, drop_database_at};
use super::ProvisionError;
use crate::url::DatabaseUrl;

/// A database created on a server for the duration of a job.
#[derive(Debug)]
pub struct ScratchDatabase {
    // Boxed: two URLs inline would make every enum holding a scratch database large.
    server: Box<DatabaseUrl>,
    name: String,
    url: Box<DatabaseUrl>,
    removed: bool,
}

impl ScratchDatabase {
    /// Creates `mig_scratch_<time>_<pid>_<n>` on the server `server` points at (any
    /// database on it the user may connect to; the role needs `CREATEDB`).
    pub async fn create(server: &DatabaseUrl) -> Result<ScratchDatabase, ProvisionError> {
        ScratchDatabase::create_named(server, &unique_name("mig_scratch")).await
    }

    /// Creates database `name` (which must not exist yet) on the server of `server`.
    pub async fn create_named(
        server: &DatabaseUrl,
        name: &str,
    ) -> Result<ScratchDatabase, ProvisionError> {
        create_database_at(server, name).await?;
        Ok(ScratchDatabase {
            server: Box::new(server.clone()),
            name: name.to_string(),
            url: Box::new(server.with_database(name)),
            removed: false,
        })
    }

    /// The scratch database's URL (the server URL with the database replaced).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database. Dropping the value without calling this drops it too, blocking.
    pub async fn remove(mut self) -> Result<(), ProvisionError> {
        self.removed = true;
        drop_database_at(&self.server, &self.name).await
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        let (server, name) = (self.server.as_ref().clone(), self.name.clone());
        // A Drop cannot await; a private runtime on a private thread also works when the
        // caller's runtime is single-threaded.
        let outcome = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| err.to_string())?
                .block_on(drop_database_at(&server, &name))
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

#[cfg(test)]
mod tests;
