//! The target's roles on a private server, so that revisions granting to them replay and
//! grants and owners compare by name: each role of the target is created there (the one
//! that owns the target's objects as a `LOGIN SUPERUSER`, the others `NOLOGIN`), and the
//! replay connects as that owner (trust authentication on the private socket).

use sqlx::Connection as _;

use crate::db::connect_postgres;
use crate::provision::SUPERUSER;
use crate::url::{encode_component, DatabaseUrl};

/// Creates `roles` on the private database at `private`; the URL to replay as `owner`
/// (the private superuser's when `None` or the same name).
pub async fn adopt(
    private: &DatabaseUrl,
    roles: &[String],
    owner: Option<&str>,
) -> Result<DatabaseUrl, String> {
    let mut conn = connect_postgres(private, None)
        .await
        .map_err(|e| e.to_string())?;
    for role in roles.iter().filter(|r| r.as_str() != SUPERUSER) {
        let login = if owner == Some(role.as_str()) {
            "LOGIN SUPERUSER"
        } else {
            "NOLOGIN"
        };
        let sql = format!("CREATE ROLE {} {login}", quote(role));
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("creating role `{role}` on the private server: {e}"))?;
    }
    let _ = conn.close().await;
    match owner {
        Some(owner) if owner != SUPERUSER && roles.iter().any(|r| r == owner) => {
            let url = private.to_sqlx_url().replacen(
                &format!("://{SUPERUSER}@"),
                &format!("://{}@", encode_component(owner)),
                1,
            );
            DatabaseUrl::parse(&url).map_err(|e| e.to_string())
        }
        _ => Ok(private.clone()),
    }
}

/// A double-quoted identifier.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
