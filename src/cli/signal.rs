//! How commands that wait on a database run: on a current-thread runtime, with SIGINT
//! and SIGTERM caught and passed on. Online commands get them as
//! [`Interrupt::process`], which cancels the running statement, rolls back, releases
//! the lock and fails with the state of the database (exit 130 / 143); a second signal
//! exits at once. The verifier and the runbook take the interrupt as a future and remove
//! what they made before returning.

use std::future::Future;

use tokio::signal::unix::{signal, SignalKind};

use crate::commands::Error;
use crate::execute::Interrupt;

/// Runs an online command's future with the signal handlers installed (see the module
/// header).
pub fn block_online<T>(fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    runtime()?.block_on(async {
        let first = interrupt()?;
        tokio::spawn(async move {
            let code = first.await;
            Interrupt::process().raise(code);
            if let Ok(again) = interrupt() {
                again.await;
                std::process::exit(code);
            }
        });
        fut.await
    })
}

/// Runs `run(interrupt)` on a runtime, `interrupt` resolving to 130 on SIGINT and 143 on
/// SIGTERM.
pub fn block_interruptible<T, F>(
    run: impl FnOnce(std::pin::Pin<Box<dyn Future<Output = i32>>>) -> F,
) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    runtime()?.block_on(async {
        let interrupt = interrupt()?;
        run(Box::pin(interrupt)).await
    })
}

/// Resolves to 130 on SIGINT and 143 on SIGTERM. The handlers are installed now, so a
/// signal during the run no longer kills the process outright.
fn interrupt() -> Result<impl Future<Output = i32>, Error> {
    let install = |kind| signal(kind).map_err(Error::setup("install a signal handler"));
    let mut int = install(SignalKind::interrupt())?;
    let mut term = install(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => 130,
            _ = term.recv() => 143,
        }
    })
}

/// A runtime for one command (its futures wait on sockets, timers and signals).
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::setup("start the async runtime"))
}
