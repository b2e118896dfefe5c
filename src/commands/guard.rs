//! `mig protect` and `mig unprotect`: mark the configured database as protected or
//! remove the marker. Returns what to print.

use crate::guard::{self, Protection};

use super::{Error, Project};

/// `mig protect [--reason TEXT]`.
pub async fn protect(project: &Project, reason: Option<&str>) -> Result<Protection, Error> {
    let url = project.config.database_url()?;
    let mut conn = crate::db::open(&url, &project.config.exec).await?;
    let result = guard::protect(&mut conn, &project.config.exec, reason).await;
    let _ = conn.close().await;
    Ok(result?)
}

/// `mig unprotect --confirm NAME`.
pub async fn unprotect(project: &Project, confirm: &str) -> Result<Protection, Error> {
    let url = project.config.database_url()?;
    let mut conn = crate::db::open(&url, &project.config.exec).await?;
    let result = guard::unprotect(&mut conn, &project.config.exec, confirm).await;
    let _ = conn.close().await;
    Ok(result?)
}

/// The text `mig protect` / `mig unprotect` print.
pub fn protection_text(protection: &Protection) -> String {
    let name = &protection.database;
    if protection.is_protected() {
        format!(
            "Database `{name}` is protected: {}.\n",
            protection.reasons()
        )
    } else {
        format!("Database `{name}` is not protected.\n")
    }
}
