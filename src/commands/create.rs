//! `init`, `revision`, `merge`: new projects and new revision files. Only files are
//! written; nothing connects.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::revision::directory::{
    unique_revision_id, write_revision, FileNaming, NewRevision, DEFAULT_TEMPLATE,
};

use super::{Error, Project};

/// The `alembic.ini` `mig init` writes.
const INIT_INI: &str = include_str!("../../templates/alembic.ini.tmpl");

/// `mig init DIR`: `alembic.ini`, `versions/`, `templates/revision.sql.tmpl`, `runbook/`.
/// Refuses to touch a directory that already has an `alembic.ini`. Returns the paths made.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let ini = dir.join("alembic.ini");
    if ini.exists() {
        return Err(Error::Usage(format!(
            "`{}` already exists; not overwriting an existing project",
            ini.display()
        )));
    }
    let write = |path: &Path, text: &str| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| io_error(path, e))
    };
    let mut made = vec![];
    for sub in ["versions", "runbook"] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| io_error(&d, e))?;
        made.push(d);
    }
    let template = dir.join("templates").join("revision.sql.tmpl");
    if !template.exists() {
        write(&template, DEFAULT_TEMPLATE)?;
        made.push(template);
    }
    write(&ini, INIT_INI)?;
    made.push(ini);
    Ok(made)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// What `mig revision` / `mig merge` need besides the project.
#[derive(Debug, Default, Clone)]
pub struct RevisionRequest {
    pub message: Option<String>,
    pub rev_id: Option<String>,
    pub head: Option<String>,
    pub splice: bool,
    pub branch_label: Option<String>,
    pub depends_on: Vec<String>,
    pub version_path: Option<PathBuf>,
}

/// `mig revision`: a new revision on the single head, or on `--head`.
pub fn revision(project: &Project, req: &RevisionRequest) -> Result<PathBuf, Error> {
    let down = parents_for(project, req)?;
    let depends_on = req
        .depends_on
        .iter()
        .map(|d| resolve_one(project, d))
        .collect::<Result<Vec<_>, _>>()?;
    write_new(project, req, down, depends_on)
}

/// `mig merge REV...`: a revision whose parents are the given revisions, which must all
/// be heads (as in Alembic: merging a non-head would only add a redundant head).
pub fn merge(project: &Project, revs: &[String], req: &RevisionRequest) -> Result<PathBuf, Error> {
    let mut down = vec![];
    for spec in revs {
        for r in project
            .map
            .get_revisions(spec)
            .map_err(|e| Error::Command(e.into_command()))?
        {
            if !r.is_head() {
                return Err(not_a_head(r.id()));
            }
            if !down.iter().any(|d: &String| d == r.id()) {
                down.push(r.id().to_string());
            }
        }
    }
    write_new(project, req, down, vec![])
}

fn resolve_one(project: &Project, spec: &str) -> Result<String, Error> {
    let revs = project
        .map
        .get_revisions(spec)
        .map_err(|e| Error::Command(e.into_command()))?;
    match revs.as_slice() {
        [one] => Ok(one.id().to_string()),
        _ => Err(Error::Usage(format!(
            "`{spec}` names {} revisions; name exactly one",
            revs.len()
        ))),
    }
}

/// The parents of a new revision, with Alembic's rules for `--head` and `--splice`.
fn parents_for(project: &Project, req: &RevisionRequest) -> Result<Vec<String>, Error> {
    let head = req.head.as_deref().unwrap_or("head");
    if head == "base" {
        return Ok(vec![]);
    }
    if req.head.is_none() && project.map.heads().len() > 1 {
        return Err(Error::Usage(
            "Multiple heads are present; please specify the head revision on which the new \
             revision should be based, or perform a merge."
                .into(),
        ));
    }
    let revs = project
        .map
        .get_revisions(head)
        .map_err(|e| Error::Command(e.into_command()))?;
    let mut down = vec![];
    for r in revs {
        if !req.splice && !r.is_head() {
            return Err(not_a_head(r.id()));
        }
        down.push(r.id().to_string());
    }
    Ok(down)
}

/// Alembic's text, word for word.
fn not_a_head(id: &str) -> Error {
    Error::Usage(format!(
        "Revision {id} is not a head revision; please specify --splice to create a new branch \
         from this revision"
    ))
}

fn write_new(
    project: &Project,
    req: &RevisionRequest,
    down_revisions: Vec<String>,
    depends_on: Vec<String>,
) -> Result<PathBuf, Error> {
    let cfg = &project.config;
    let settings = cfg.revision_settings()?;
    let revision_id = cfg.revision_id()?;
    let now = Utc::now();
    let id = req.rev_id.clone().unwrap_or_else(|| {
        unique_revision_id(revision_id, now, &|id| project.map.get(id).is_some())
    });
    if let Some(existing) = project.map.get(&id) {
        return Err(Error::Usage(format!(
            "Revision `{id}` already exists in `{}`",
            existing.revision().path.display()
        )));
    }
    let branch_labels: Vec<String> = req.branch_label.iter().cloned().collect();
    for label in &branch_labels {
        if let Some(owner) = project
            .map
            .revisions()
            .find(|r| r.revision().branch_labels.iter().any(|l| l == label))
        {
            return Err(Error::Usage(format!(
                "Branch name '{label}' is already used by revision {}",
                owner.id()
            )));
        }
    }
    let dir = match (&req.version_path, cfg.version_locations.as_slice()) {
        (Some(p), _) => p.clone(),
        (None, [one]) => one.clone(),
        (None, _) => {
            return Err(Error::Usage(
                "Multiple version locations present, please specify --version-path".into(),
            ))
        }
    };
    let template_path = cfg.here.join("templates").join("revision.sql.tmpl");
    let template = match std::fs::read_to_string(&template_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULT_TEMPLATE.to_string(),
        Err(e) => return Err(io_error(&template_path, e)),
    };
    let new = NewRevision {
        id,
        message: req.message.clone().unwrap_or_default(),
        down_revisions,
        branch_labels,
        depends_on,
        create_date: create_date(now, settings.timezone.as_deref())?,
    };
    let naming = FileNaming {
        file_template: settings.file_template,
        truncate_slug_length: settings.truncate_slug_length,
    };
    let written = write_revision(&dir, &new, &template, &naming).map_err(|e| Error::Write {
        path: dir.clone(),
        message: e.to_string(),
    })?;
    Ok(written.path)
}

/// `Create Date` in the configured `timezone`: UTC when unset; `UTC` or a fixed offset
/// (`+02:00`) otherwise. Named zones would need the tz database, which mig does not ship.
fn create_date(now: DateTime<Utc>, timezone: Option<&str>) -> Result<DateTime<FixedOffset>, Error> {
    let Some(tz) = timezone.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(now.fixed_offset());
    };
    if tz.eq_ignore_ascii_case("utc") {
        return Ok(now.fixed_offset());
    }
    let offset = parse_offset(tz).ok_or_else(|| {
        Error::Usage(format!(
            "timezone `{tz}` is not supported: use `UTC` or a fixed offset such as `+02:00`"
        ))
    })?;
    Ok(now.with_timezone(&offset))
}

fn parse_offset(tz: &str) -> Option<FixedOffset> {
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}
