//! The converted project's `alembic.ini`: a new file (the original is left as it is),
//! with `[alembic]` pointing at the converted version locations, the original's
//! `file_template`, `truncate_slug_length`, `timezone` and `sqlalchemy.url` as written
//! (the URL's `%(here)s` made absolute, so it still names the same database), and
//! `[mig]` holding what env.py passed to `context.configure`: the dialect and the
//! version-table options, so `mig current` reads the same `alembic_version` rows.

use std::fmt::Write as _;
use std::path::Path;

use super::alembic::AlembicProject;

/// The ini text. `locations` are the converted version locations, relative to the new
/// project; `original_ini` is the Alembic project's ini file.
pub fn render(
    alembic: &AlembicProject,
    original_ini: &Path,
    dialect: &str,
    locations: &[String],
) -> String {
    let here = original_ini.parent().unwrap_or(Path::new("."));
    let mut s = format!(
        "# Converted from {} by `mig import alembic` (Alembic {}).\n\
         # mig reads [alembic] as Alembic does and [mig] for what Alembic keeps in env.py.\n\n\
         [alembic]\nscript_location = %(here)s\n",
        original_ini.display(),
        alembic.alembic_version
    );
    let joined: Vec<String> = locations.iter().map(|l| format!("%(here)s/{l}")).collect();
    let _ = writeln!(s, "version_locations = {}", joined.join(":"));
    s.push_str("path_separator = os\n");
    if alembic.recursive_version_locations {
        s.push_str("recursive_version_locations = true\n");
    }
    // How `mig revision` names new files, as written (already `%%`-escaped).
    for key in ["file_template", "truncate_slug_length", "timezone"] {
        if let Some(value) = alembic.ini.get(key) {
            let _ = writeln!(s, "{key} = {value}");
        }
    }
    match alembic.ini.get("sqlalchemy.url") {
        Some(url) => {
            let absolute = here.display().to_string().replace('%', "%%");
            let _ = writeln!(s, "sqlalchemy.url = {}", url.replace("%(here)s", &absolute));
        }
        None => s.push_str(
            "# The Alembic project sets the URL in env.py: set it here or pass --url.\n\
             # sqlalchemy.url = \n",
        ),
    }
    let c = &alembic.configured;
    let _ = write!(s, "\n[mig]\ndialect = {dialect}\n");
    if let Some(table) = c
        .version_table
        .as_deref()
        .filter(|t| *t != "alembic_version")
    {
        let _ = writeln!(s, "version_table = {}", table.replace('%', "%%"));
    }
    if let Some(schema) = c.version_table_schema.as_deref() {
        let _ = writeln!(s, "version_table_schema = {}", schema.replace('%', "%%"));
    }
    if !c.version_table_pk {
        s.push_str("version_table_pk = false\n");
    }
    if c.transaction_per_migration {
        s.push_str("transaction_per_migration = true\n");
    }
    s
}
