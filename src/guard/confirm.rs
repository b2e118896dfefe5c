//! The confirmation a destructive command needs (SPEC section 15). A protected database
//! needs `--confirm <its name>` (`--yes` is refused) or, on a terminal, the name typed;
//! an unprotected one needs `--yes`, `--confirm <its name>` or the typed name. A typed
//! name is followed by a 5-second countdown that Ctrl-C cancels. Without a terminal and
//! without the flags the command is refused, naming the missing flag.

use std::io::{BufRead as _, Write as _};
use std::time::Duration;

use super::{GuardError, Protection};

/// Seconds counted down after the name was typed.
pub const COUNTDOWN_SECONDS: u64 = 5;

/// What the user gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confirmation {
    /// `--confirm NAME`.
    pub confirm: Option<String>,
    /// `--yes`.
    pub yes: bool,
    /// Whether stdin and stderr are a terminal to ask on.
    pub interactive: bool,
}

/// Stdin and stderr are both a terminal.
pub struct Terminal;

impl Terminal {
    pub fn is_interactive() -> bool {
        use std::io::IsTerminal as _;
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }
}

/// Decides whether `action` (``reset the database`` ...) may go ahead on the database
/// `protection` describes; asks on the terminal when the flags leave it open.
pub async fn authorize(
    protection: &Protection,
    given: &Confirmation,
    action: &str,
) -> Result<(), GuardError> {
    let name = &protection.database;
    if let Some(confirm) = &given.confirm {
        if confirm != name {
            return Err(GuardError::Refused(format!(
                "`--confirm {confirm}` is not the database's name `{name}`; nothing was changed"
            )));
        }
        return Ok(());
    }
    if protection.is_protected() {
        let why = protection.reasons();
        if given.yes {
            return Err(GuardError::Refused(format!(
                "database `{name}` is protected ({why}): `--yes` is not enough to {action}; \
                 pass `--confirm {name}`; nothing was changed"
            )));
        }
        if !given.interactive {
            return Err(GuardError::Refused(format!(
                "database `{name}` is protected ({why}); without a terminal to confirm on, \
                 pass `--confirm {name}` to {action}; nothing was changed"
            )));
        }
    } else if given.yes {
        return Ok(());
    } else if !given.interactive {
        return Err(GuardError::Refused(format!(
            "refusing to {action} `{name}` without confirmation and without a terminal to ask \
             on: pass `--yes` or `--confirm {name}`; nothing was changed"
        )));
    }
    ask(protection, action).await
}

/// The typed name, then the countdown.
async fn ask(protection: &Protection, action: &str) -> Result<(), GuardError> {
    let name = &protection.database;
    let mut err = std::io::stderr().lock();
    let protected = if protection.is_protected() {
        format!(" (protected: {})", protection.reasons())
    } else {
        String::new()
    };
    let _ = write!(
        err,
        "About to {action} `{name}`{protected}.\nType the database name to continue: "
    );
    let _ = err.flush();
    drop(err);
    let mut typed = String::new();
    let read = std::io::stdin().lock().read_line(&mut typed);
    if matches!(read, Ok(0) | Err(_)) {
        return Err(GuardError::Refused(
            "no name was typed; nothing was changed".into(),
        ));
    }
    let typed = typed.trim();
    if typed != name {
        return Err(GuardError::Refused(format!(
            "`{typed}` is not the database's name `{name}`; nothing was changed"
        )));
    }
    countdown(action).await
}

async fn countdown(action: &str) -> Result<(), GuardError> {
    use tokio::signal::unix::{signal, SignalKind};
    // Listen before saying Ctrl-C cancels, so that no Ctrl-C finds the default action.
    let mut interrupt = signal(SignalKind::interrupt())
        .map_err(|err| GuardError::Refused(format!("cannot listen for Ctrl-C: {err}")))?;
    eprint!("Going to {action} in {COUNTDOWN_SECONDS} seconds; press Ctrl-C to cancel:");
    for left in (1..=COUNTDOWN_SECONDS).rev() {
        eprint!(" {left}");
        let _ = std::io::stderr().flush();
        tokio::select! {
            _ = interrupt.recv() => {
                eprintln!();
                return Err(GuardError::Cancelled);
            }
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
    eprintln!();
    Ok(())
}

#[cfg(test)]
mod tests;
