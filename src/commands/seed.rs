//! `mig seed`: loads the project's seed files and runs or lists them against the
//! configured database. Returns reports; prints nothing.

use crate::seed::{self, ListEntry, SeedReport, SeedRequest};

use super::{Error, Project};

/// `mig seed [NAME...] [--all] [--sync] [--dry-run]`.
pub async fn run(project: &Project, request: &SeedRequest) -> Result<SeedReport, Error> {
    let seeds = seed::load(&project.config.seed_locations()?, &project.map)?;
    let url = project.config.database_url()?;
    Ok(seed::run(&project.config, &url, &seeds, &project.map, request).await?)
}

/// `mig seed --list`.
pub async fn list(project: &Project) -> Result<Vec<ListEntry>, Error> {
    let seeds = seed::load(&project.config.seed_locations()?, &project.map)?;
    let url = project.config.database_url()?;
    Ok(seed::list(&project.config, &url, &seeds, &project.map).await?)
}
