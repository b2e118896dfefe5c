//! The database a roundtrip runs on: a fresh one on a private server (`--ephemeral`, the
//! default), a scratch database on the configured server (`--scratch`), or the
//! configured database itself (`--in-place`); a temp file for SQLite projects. Whatever
//! is made here is removed by [`Workspace::finish`] (or [`Workspace::remove`]), also
//! after an interrupt. Never
//! touches the configured database unless asked to work in place.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;

use crate::config::Config;
use crate::dialect::Dialect;
use crate::provision::{EphemeralPostgres, ProvisionError, ScratchDatabase, TempSqlite};
use crate::url::DatabaseUrl;

use super::RoundtripError;

/// Where the roundtrip (and the runbook) runs; serialised as `ephemeral`, `scratch`,
/// `in-place`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// A private PostgreSQL server (or a temp SQLite file), removed afterwards.
    #[default]
    Ephemeral,
    /// A temporary database on the configured server, dropped afterwards (SQLite: a temp
    /// file, as there is no server).
    Scratch,
    /// The configured database itself.
    InPlace,
}

impl Place {
    /// The place the flags `--in-place` and `--scratch` select (neither: `--ephemeral`).
    /// `--in-place` works on the configured database itself, so it needs `yes`
    /// (`--yes`): the one place that rule is decided, for `mig roundtrip` and `mig runbook`.
    pub fn from_flags(in_place: bool, scratch: bool, yes: bool) -> Result<Place, RoundtripError> {
        match (in_place, scratch) {
            (true, _) if !yes => Err(RoundtripError::Usage(
                "`--in-place` runs upgrades and downgrades on the configured database itself; \
                 add `--yes` to confirm"
                    .to_string(),
            )),
            (true, _) => Ok(Place::InPlace),
            (false, true) => Ok(Place::Scratch),
            (false, false) => Ok(Place::Ephemeral),
        }
    }

    /// The flags that select this place.
    pub fn flag(self) -> &'static str {
        match self {
            Place::Ephemeral => "--ephemeral",
            Place::Scratch => "--scratch",
            Place::InPlace => "--in-place --yes",
        }
    }
}

/// The database name used on a private server.
const DATABASE: &str = "mig_roundtrip";

/// A provisioned database and what must be removed with it.
#[derive(Debug)]
pub struct Workspace {
    /// Where to connect.
    pub url: DatabaseUrl,
    /// Where it is, in words, without password (`a private PostgreSQL server`).
    pub description: String,
    guard: Guard,
}

#[derive(Debug)]
enum Guard {
    Nothing,
    Server(EphemeralPostgres),
    Scratch(ScratchDatabase),
    Sqlite(TempSqlite),
}

impl Workspace {
    /// Makes the database for `place`. An interrupt while a private server starts waits
    /// for the start to finish, then stops and removes the server again.
    pub async fn provision(
        config: &Config,
        dialect: Dialect,
        place: Place,
        interrupt: Pin<&mut dyn Future<Output = i32>>,
    ) -> Result<Workspace, RoundtripError> {
        match (place, dialect) {
            (Place::InPlace, _) => {
                let url = config.database_url()?;
                Ok(Workspace {
                    description: format!("the configured database `{url}`"),
                    url,
                    guard: Guard::Nothing,
                })
            }
            (_, Dialect::Sqlite) => {
                let file = TempSqlite::new()?;
                Ok(Workspace {
                    url: parse(&file.url())?,
                    description: "a temporary SQLite file".to_string(),
                    guard: Guard::Sqlite(file),
                })
            }
            (Place::Scratch, _) => {
                let server = config.database_url()?;
                let scratch = ScratchDatabase::create(&server).await?;
                let url = scratch.url().clone();
                Ok(Workspace {
                    url,
                    description: format!("a scratch database `{}` on `{}`", scratch.name(), server),
                    guard: Guard::Scratch(scratch),
                })
            }
            (Place::Ephemeral, _) => ephemeral(interrupt).await,
        }
    }

    /// What [`Workspace::remove`] does, in words.
    fn cleanup_words(&self) -> &'static str {
        match self.guard {
            Guard::Nothing => "the configured database was left as it is now",
            Guard::Server(_) => "the private server was stopped and removed",
            Guard::Scratch(_) => "the scratch database was dropped",
            Guard::Sqlite(_) => "the temporary SQLite file was removed",
        }
    }

    /// Removes the workspace after a run raced against an interrupt (`Err` holds the
    /// interrupt's exit code): the run's value when it finished (a failure to remove is
    /// only logged), else [`RoundtripError::Interrupted`] saying what became of the
    /// database.
    pub async fn finish<T>(self, raced: Result<T, i32>) -> Result<T, RoundtripError> {
        let words = self.cleanup_words();
        let removed = self.remove().await;
        match raced {
            Ok(value) => {
                if let Err(err) = removed {
                    tracing::warn!(target: "mig", "removing the roundtrip's database: {err}");
                }
                Ok(value)
            }
            Err(code) => Err(RoundtripError::Interrupted {
                cleanup: match removed {
                    Ok(()) => words.to_string(),
                    Err(err) => format!("cleaning up failed: {err}"),
                },
                code,
            }),
        }
    }

    /// Removes what [`Workspace::provision`] made.
    pub async fn remove(self) -> Result<(), ProvisionError> {
        match self.guard {
            Guard::Nothing => Ok(()),
            Guard::Server(server) => stop(server).await,
            Guard::Scratch(scratch) => scratch.remove().await,
            Guard::Sqlite(file) => {
                drop(file);
                Ok(())
            }
        }
    }
}

async fn ephemeral(
    mut interrupt: Pin<&mut dyn Future<Output = i32>>,
) -> Result<Workspace, RoundtripError> {
    let mut starting = tokio::task::spawn_blocking(EphemeralPostgres::start);
    let started = tokio::select! {
        started = &mut starting => started,
        code = interrupt.as_mut() => {
            // The start cannot be cancelled: let it finish, then take it down again.
            if let Ok(Ok(server)) = starting.await {
                let _ = stop(server).await;
            }
            return Err(RoundtripError::Interrupted {
                cleanup: "the private server was stopped and removed".to_string(),
                code,
            });
        }
    };
    let server = started.map_err(|err| {
        RoundtripError::Workspace(format!("starting the private server: {err}"))
    })??;
    let created = tokio::select! {
        created = server.create_database(DATABASE) => created,
        code = interrupt => {
            let _ = stop(server).await;
            return Err(RoundtripError::Interrupted {
                cleanup: "the private server was stopped and removed".to_string(),
                code,
            });
        }
    };
    let url = match created
        .map_err(RoundtripError::from)
        .and_then(|u| parse(&u))
    {
        Ok(url) => url,
        Err(err) => {
            let _ = stop(server).await;
            return Err(err);
        }
    };
    Ok(Workspace {
        url,
        description: "a private PostgreSQL server".to_string(),
        guard: Guard::Server(server),
    })
}

/// Stops a private server off the async threads (it waits for the postmaster to exit).
async fn stop(server: EphemeralPostgres) -> Result<(), ProvisionError> {
    match tokio::task::spawn_blocking(move || server.stop()).await {
        Ok(result) => result,
        // The stopping thread panicked: the watchdog still removes the server.
        Err(_) => Ok(()),
    }
}

fn parse(url: &str) -> Result<DatabaseUrl, RoundtripError> {
    DatabaseUrl::parse(url).map_err(|err| RoundtripError::Workspace(err.to_string()))
}
