//! Who runs mig, as the history table records it: `user@host`.

/// `user@host` of the person or job running mig: `USER` (else `LOGNAME`, `USERNAME`, else
/// the name of the process's user id in `/etc/passwd`, else the number) and `HOSTNAME`
/// (else the kernel's host name), `unknown` for what cannot be found.
pub fn operator() -> String {
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .or_else(|| {
            let uid = process_uid()?;
            let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
            Some(user_name(&passwd, uid).unwrap_or_else(|| uid.to_string()))
        })
        .unwrap_or_else(|| "unknown".into());
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            ["/proc/sys/kernel/hostname", "/etc/hostname"]
                .iter()
                .find_map(|path| std::fs::read_to_string(path).ok())
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        })
        .unwrap_or_else(|| "unknown".into());
    format!("{}@{}", user.trim(), host.trim())
}

#[cfg(unix)]
fn process_uid() -> Option<u32> {
    Some(rustix::process::getuid().as_raw())
}

#[cfg(not(unix))]
fn process_uid() -> Option<u32> {
    None
}

/// The name of `uid` in `/etc/passwd` text (`name:x:uid:gid:...` lines).
pub(super) fn user_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.trim().parse::<u32>().ok() == Some(uid) && !name.is_empty()).then(|| name.to_string())
    })
}
