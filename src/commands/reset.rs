//! `mig reset`: loads the seeds and hands the request to the reset module. Returns the
//! report; prints nothing.

use crate::reset::{self, ResetReport, ResetRequest};

use super::{Error, Project};

pub async fn run(project: &Project, request: &ResetRequest) -> Result<ResetReport, Error> {
    let seeds = crate::seed::load(&project.config.seed_locations()?, &project.map)?;
    Ok(reset::run(&project.config, &project.map, &seeds, request).await?)
}
