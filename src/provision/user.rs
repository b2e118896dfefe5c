//! Which operating-system user runs the private server. PostgreSQL refuses to run as root,
//! so a root `mig` hands the server to an unprivileged account; it never creates accounts.

use std::path::Path;

use super::ProvisionError;

/// An unprivileged account to run `initdb` and `postgres` as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

/// Accounts tried, in order, when running as root: `postgres` (created by every PostgreSQL
/// package, the account the binaries are meant for), then `nobody` (present on every Debian
/// and most Unix systems).
const CANDIDATES: [&str; 2] = ["postgres", "nobody"];

/// `None` when the current user may run the server itself; the account to switch to when
/// running as root.
pub fn server_user() -> Result<Option<RunAs>, ProvisionError> {
    if effective_uid() != Some(0) {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    CANDIDATES
        .iter()
        .find_map(|name| lookup(&passwd, name))
        .map(Some)
        .ok_or(ProvisionError::NoUnprivilegedUser)
}

/// The effective uid, from `/proc/self/status` (Linux) or the owner of a fresh temp file.
pub fn effective_uid() -> Option<u32> {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        // `Uid:	real	effective	saved	fs`
        let line = status.lines().find(|line| line.starts_with("Uid:"))?;
        return line.split_whitespace().nth(2)?.parse().ok();
    }
    use std::os::unix::fs::MetadataExt;
    let file = tempfile::NamedTempFile::new().ok()?;
    std::fs::metadata(file.path()).ok().map(|meta| meta.uid())
}

/// Finds `name` in `/etc/passwd` text (`name:x:uid:gid:...`).
fn lookup(passwd: &str, name: &str) -> Option<RunAs> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != name {
            return None;
        }
        let _password = fields.next()?;
        let uid = fields.next()?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        (uid != 0).then(|| RunAs {
            name: name.to_string(),
            uid,
            gid,
        })
    })
}

/// Whether `user` can reach `dir`: every ancestor must be searchable by others (the
/// account shares no group with root that we rely on).
pub fn reachable_by_others(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    dir.ancestors().all(|ancestor| {
        std::fs::metadata(ancestor)
            .map(|meta| meta.permissions().mode() & 0o001 != 0)
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests;
