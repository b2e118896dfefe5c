//! `mig backup [--out PATH]`: a verified backup of the configured database under the
//! migration lock, recorded in the history table. Returns what to print.

use std::path::Path;

use crate::backup::{self, Backup};
use crate::db::audit::{record_run, RunRecord};
use crate::db::history::HistoryKind;
use crate::engine::session::Session;
use crate::guard::database_name;

use super::{Error, Project};

/// `mig backup`.
pub async fn run(project: &Project, out: Option<&Path>) -> Result<Backup, Error> {
    let config = &project.config;
    let url = config.database_url()?;
    let mut session = Session::open(&url, &config.exec).await?;
    let result = match session.lock(&config.exec).await {
        Ok(lock) => {
            let result = locked(project, &url, &mut session, out).await;
            session.unlock(lock, result).await
        }
        Err(err) => Err(err.into()),
    };
    session.close().await;
    result
}

async fn locked(
    project: &Project,
    url: &crate::url::DatabaseUrl,
    session: &mut Session,
    out: Option<&Path>,
) -> Result<Backup, Error> {
    let config = &project.config;
    let mut record = RunRecord::start(HistoryKind::Backup);
    let database = database_name(&mut session.conn).await?;
    let path = match out {
        Some(path) => path.to_path_buf(),
        None => backup::default_path(config, &database)?,
    };
    let result = backup::take(&mut session.conn, config, url, &database, &path).await;
    match &result {
        Ok(done) => {
            let rows: u64 = done.manifest.tables.iter().map(|t| t.rows).sum();
            record.summary = format!(
                "backup: {} ({} tables, {rows} rows)",
                done.path.display(),
                done.manifest.tables.len()
            );
        }
        Err(err) => {
            record.success = false;
            record.error = Some(err.to_string());
            record.summary = format!("backup: {}", path.display());
        }
    }
    record_run(&mut session.conn, &config.exec, &record.finish()).await?;
    Ok(result?)
}
