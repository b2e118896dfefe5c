//! Creating and dropping a database on a PostgreSQL server mig reaches through a URL (a
//! private server's, or the one `--scratch` names): the shared step of scratch databases
//! and the private server's databases. Drops only the database it is told to.

use std::time::Duration;

use super::ProvisionError;
use crate::db::{connect_postgres, DbError};
use crate::url::DatabaseUrl;

/// Creates the empty database `name` on the server `server` points at (any database on
/// it the user may connect to; the role needs `CREATEDB`).
pub async fn create_database_at(server: &DatabaseUrl, name: &str) -> Result<(), ProvisionError> {
    let mut conn = connect_postgres(server, None).await?;
    let statement = format!("CREATE DATABASE {}", quote_ident(name));
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(&mut conn)
        .await
        .map_err(|err| statement_error(&format!("creating database `{name}`"), &err))?;
    Ok(())
}

/// Drops database `name` on the server `server` points at if it exists, disconnecting
/// its sessions first.
pub async fn drop_database_at(server: &DatabaseUrl, name: &str) -> Result<(), ProvisionError> {
    let mut conn = connect_postgres(server, None).await?;
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
