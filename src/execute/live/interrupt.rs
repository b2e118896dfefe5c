//! The interrupt flag of an online run: raised once (by the CLI's SIGINT/SIGTERM handler,
//! or a test) with the exit code it asks for, read by the live sink before each statement
//! and awaited by the engine, which then asks the server to cancel the running statement.
//! Knows nothing about signals or databases.
//!
//! Signals belong to the process, so the online engine reads one process-wide flag,
//! [`Interrupt::process`], which only the CLI's handler raises (library callers that
//! never raise it see no change).

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Notify;

/// A shared flag; clones see the same state.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    /// 0 until raised, then the exit code asked for (130 SIGINT, 143 SIGTERM).
    code: AtomicI32,
    notify: Notify,
}

impl Interrupt {
    /// A flag not raised yet.
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// The process's flag (see the module header).
    pub fn process() -> &'static Interrupt {
        static PROCESS: OnceLock<Interrupt> = OnceLock::new();
        PROCESS.get_or_init(Interrupt::new)
    }

    /// Raises the flag with `code` (the first raise wins) and wakes every waiter.
    pub fn raise(&self, code: i32) {
        let _ = self
            .0
            .code
            .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    /// The exit code asked for, once raised.
    pub fn code(&self) -> Option<i32> {
        match self.0.code.load(Ordering::SeqCst) {
            0 => None,
            code => Some(code),
        }
    }

    /// Resolves once the flag is raised, to its code.
    pub async fn raised(&self) -> i32 {
        loop {
            let notified = self.0.notify.notified();
            if let Some(code) = self.code() {
                return code;
            }
            notified.await;
        }
    }

    /// The signal's name for a code: `SIGINT` for 130, `SIGTERM` for 143.
    pub fn signal_name(code: i32) -> String {
        match code {
            130 => "SIGINT".into(),
            143 => "SIGTERM".into(),
            other => format!("signal {}", other - 128),
        }
    }
}

#[cfg(test)]
mod tests;
