//! Offline mode (`--sql`): the plan rendered as SQL text by the shared executor, with
//! Alembic's rules for where the plan starts (`from:to` ranges).

use crate::dialect::VersionSql;
use crate::execute::render_offline;
use crate::revision::plan;

use super::{Error, Project};

/// Splits `from:to`; `None` when the argument is not a range.
fn split_range(arg: &str) -> Option<(&str, &str)> {
    arg.split_once(':')
}

/// The version rows an offline run starts from: the resolved `from` side of a range,
/// nothing for `base` or no range.
fn start_heads(project: &Project, from: Option<&str>) -> Result<Vec<String>, Error> {
    match from {
        None | Some("base") | Some("") => Ok(vec![]),
        Some(spec) => Ok(project
            .map
            .get_revisions(spec)
            .map_err(|e| Error::Command(e.into_command()))?
            .iter()
            .map(|r| r.id().to_string())
            .collect()),
    }
}

/// `--sql` output and the plan it renders.
#[derive(Debug)]
pub struct Rendered {
    pub plan: plan::Plan,
    pub sql: String,
}

async fn render(project: &Project, plan: plan::Plan) -> Result<Rendered, Error> {
    let dialect = project.config.dialect()?;
    let sql = render_offline(dialect, &project.config.exec, &plan, &project.map)
        .await
        .map_err(|e| Error::Plan(e.to_string()))?;
    Ok(Rendered { plan, sql })
}

/// `mig upgrade [from:]to --sql`.
pub async fn upgrade(project: &Project, arg: &str) -> Result<Rendered, Error> {
    let (from, to) = match split_range(arg) {
        Some((f, t)) => (Some(f), t),
        None => (None, arg),
    };
    let heads = start_heads(project, from)?;
    let plan = plan::upgrade(&project.map, &heads, to)?;
    render(project, plan).await
}

/// `mig downgrade from:to --sql` (Alembic requires the range offline).
pub async fn downgrade(project: &Project, arg: &str) -> Result<Rendered, Error> {
    let Some((from, to)) = split_range(arg) else {
        return Err(Error::Usage(
            "downgrade with --sql requires <fromrev>:<torev>".into(),
        ));
    };
    let heads = start_heads(project, Some(from))?;
    let plan = plan::downgrade(&project.map, &heads, to)?;
    render(project, plan).await
}

/// `mig stamp REV... --sql` (`--purge` is refused offline, as by Alembic).
pub async fn stamp(project: &Project, revs: &[String], purge: bool) -> Result<Rendered, Error> {
    if purge {
        return Err(Error::Usage("Can't use --purge with --sql mode".into()));
    }
    // A single `from:to` argument starts the stamp from `from`.
    let (heads, targets) = match revs {
        [one] if one.contains(':') => {
            let (from, to) = split_range(one).unwrap_or(("", one));
            (start_heads(project, Some(from))?, vec![to.to_string()])
        }
        _ => (vec![], revs.to_vec()),
    };
    let plan = plan::stamp(&project.map, &heads, &targets, false)?;
    render(project, plan).await
}

/// `mig ensure-version --sql`: the version table's DDL as Alembic renders it, after
/// mig's schema and `search_path` lines when configured.
pub fn ensure_version(project: &Project) -> Result<String, Error> {
    let dialect = project.config.dialect()?;
    let exec = &project.config.exec;
    let mut out = String::new();
    let mut emit = |sql: &str| {
        out.push_str(sql);
        out.push_str(";\n\n");
    };
    if let Some(schema) = &exec.version_table.schema {
        if let Some(sql) = dialect.create_schema_sql(schema) {
            emit(&sql);
        }
    }
    if let Some(path) = &exec.search_path {
        if let Some(sql) = dialect.search_path_sql(path) {
            emit(&sql);
        }
    }
    let transactional = dialect.transactional_ddl();
    if transactional {
        emit("BEGIN");
    }
    emit(&VersionSql::new(dialect, &exec.version_table).create_table());
    if transactional {
        emit("COMMIT");
    }
    Ok(out)
}
