//! A revision graph written twice: as a mig project (SQL files) and as an Alembic project
//! (Python files calling `op.execute` once per statement), with the same `[mig]` options
//! applied by the Alembic project's env.py.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One revision of a fixture graph.
#[derive(Debug, Clone)]
pub struct Rev {
    pub id: String,
    pub down: Vec<String>,
    pub labels: Vec<String>,
    pub depends: Vec<String>,
    pub message: String,
    pub upgrade: Vec<String>,
    pub downgrade: Vec<String>,
    pub no_transaction: bool,
}

impl Rev {
    /// A revision whose upgrade creates table `t_<id>` and whose downgrade drops it.
    pub fn new(id: &str, down: &[&str]) -> Rev {
        Rev {
            id: id.into(),
            down: down.iter().map(|s| s.to_string()).collect(),
            labels: vec![],
            depends: vec![],
            message: format!("rev {id}"),
            upgrade: vec![format!("CREATE TABLE t_{id} (id INTEGER PRIMARY KEY)")],
            downgrade: vec![format!("DROP TABLE t_{id}")],
            no_transaction: false,
        }
    }

    pub fn label(mut self, label: &str) -> Rev {
        self.labels.push(label.into());
        self
    }

    pub fn depends_on(mut self, dep: &str) -> Rev {
        self.depends.push(dep.into());
        self
    }

    pub fn sql(mut self, upgrade: &[&str], downgrade: &[&str]) -> Rev {
        self.upgrade = upgrade.iter().map(|s| s.to_string()).collect();
        self.downgrade = downgrade.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn no_transaction(mut self) -> Rev {
        self.no_transaction = true;
        self
    }
}

/// Both projects of one fixture, in one temp dir: `<tmp>/mig` and `<tmp>/alembic`.
pub struct Pair {
    _tmp: tempfile::TempDir,
    pub mig_dir: PathBuf,
    pub alembic_dir: PathBuf,
}

/// Writes the fixture as both projects. `url` is the `sqlalchemy.url` of both;
/// `mig_options` are `[mig]` lines (`key = value`) honoured by both.
pub fn write_pair(revs: &[Rev], url: &str, mig_options: &[(&str, &str)]) -> Pair {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mig_dir = tmp.path().join("mig");
    let alembic_dir = tmp.path().join("alembic");
    write_mig(&mig_dir, revs, url, mig_options);
    write_alembic(&alembic_dir, revs, url, mig_options);
    Pair {
        _tmp: tmp,
        mig_dir,
        alembic_dir,
    }
}

fn ini(url: &str, mig_options: &[(&str, &str)]) -> String {
    // Both tools interpolate the ini file: a literal `%` (percent-encoding) is `%%`.
    let url = url.replace('%', "%%");
    let mut s = format!(
        "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n\
         path_separator = os\nsqlalchemy.url = {url}\n\n[mig]\n"
    );
    for (k, v) in mig_options {
        let _ = writeln!(s, "{k} = {v}");
    }
    s
}

pub fn write_mig(dir: &Path, revs: &[Rev], url: &str, mig_options: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("versions")).expect("mkdir");
    std::fs::write(dir.join("alembic.ini"), ini(url, mig_options)).expect("ini");
    for r in revs {
        let mut s = format!(
            "-- {}\n--\n-- Revision ID: {}\n-- Revises: {}\n",
            r.message,
            r.id,
            r.down.join(", ")
        );
        if !r.labels.is_empty() {
            let _ = writeln!(s, "-- Branch Labels: {}", r.labels.join(", "));
        }
        if !r.depends.is_empty() {
            let _ = writeln!(s, "-- Depends On: {}", r.depends.join(", "));
        }
        if r.no_transaction {
            s.push_str("-- Transaction: none\n");
        }
        s.push_str("\n-- migrate:upgrade\n");
        for stmt in &r.upgrade {
            let _ = writeln!(s, "{stmt};");
        }
        s.push_str("\n-- migrate:downgrade\n");
        for stmt in &r.downgrade {
            let _ = writeln!(s, "{stmt};");
        }
        std::fs::write(dir.join("versions").join(format!("{}_rev.sql", r.id)), s).expect("rev");
    }
}

const ENV_PY: &str = r#"
from alembic import context

config = context.config
fc = config.file_config
mig = {k: v for k, v in fc.items("mig")} if fc.has_section("mig") else {}


def flag(key, default):
    v = mig.get(key)
    return default if v is None else v.strip().lower() in ("1", "true", "yes", "on")


opts = dict(
    version_table=mig.get("version_table", "alembic_version"),
    version_table_schema=mig.get("version_table_schema") or None,
    version_table_pk=flag("version_table_pk", True),
    transaction_per_migration=flag("transaction_per_migration", False),
)

if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **opts)
    with context.begin_transaction():
        context.run_migrations()
else:
    from sqlalchemy import create_engine, text

    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        if mig.get("search_path"):
            connection.execute(text("SET search_path TO " + mig["search_path"]))
            connection.commit()
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()
"#;

fn py_list(items: &[String]) -> String {
    match items.len() {
        0 => "None".into(),
        1 => format!("{:?}", items[0]),
        _ => format!(
            "({})",
            items
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn py_body(stmts: &[String], no_transaction: bool) -> String {
    let mut s = String::new();
    let indent = if no_transaction {
        s.push_str("    with op.get_context().autocommit_block():\n");
        "        "
    } else {
        "    "
    };
    if stmts.is_empty() {
        let _ = writeln!(s, "{indent}pass");
    }
    for stmt in stmts {
        // Python string literal: repr-like escaping through Rust's Debug is close enough
        // for the ASCII SQL the fixtures use.
        let _ = writeln!(s, "{indent}op.execute({stmt:?})");
    }
    s
}

pub fn write_alembic(dir: &Path, revs: &[Rev], url: &str, mig_options: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("versions")).expect("mkdir");
    std::fs::write(dir.join("alembic.ini"), ini(url, mig_options)).expect("ini");
    std::fs::write(dir.join("env.py"), ENV_PY).expect("env.py");
    for r in revs {
        let branch_labels = if r.labels.is_empty() {
            "None".to_string()
        } else {
            format!(
                "({},)",
                r.labels
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let s = format!(
            "\"\"\"{msg}\n\nRevision ID: {id}\nRevises: {revises}\n\"\"\"\nfrom alembic import op\n\n\
             revision = {id:?}\ndown_revision = {down}\nbranch_labels = {branch_labels}\n\
             depends_on = {deps}\n\n\ndef upgrade():\n{up}\n\ndef downgrade():\n{dn}",
            msg = r.message,
            id = r.id,
            revises = r.down.join(", "),
            down = py_list(&r.down),
            deps = py_list(&r.depends),
            up = py_body(&r.upgrade, r.no_transaction),
            dn = py_body(&r.downgrade, r.no_transaction),
        );
        std::fs::write(dir.join("versions").join(format!("{}_rev.py", r.id)), s).expect("rev");
    }
}

/// The reference graphs of the Alembic reference, section 6.
pub mod graphs {
    use super::Rev;

    /// L (linear): A <- B <- C <- D <- E.
    pub fn linear() -> Vec<Rev> {
        vec![
            Rev::new("1a2b3c4d5e6f", &[]),
            Rev::new("2b3c4d5e6f70", &["1a2b3c4d5e6f"]),
            Rev::new("3c4d5e6f7081", &["2b3c4d5e6f70"]),
            Rev::new("3c4d99999999", &["3c4d5e6f7081"]),
            Rev::new("4e5f60718293", &["3c4d99999999"]),
        ]
    }

    /// M: a <- b1, a <- c1, m <- (b1, c1).
    pub fn merge() -> Vec<Rev> {
        vec![
            Rev::new("a", &[]),
            Rev::new("b1", &["a"]),
            Rev::new("c1", &["a"]),
            Rev::new("m", &["b1", "c1"]),
        ]
    }

    /// BP: a <- b; b <- c1[c1branch] <- d1; b <- c2[c2branch] <- d2.
    pub fn branchpoint() -> Vec<Rev> {
        vec![
            Rev::new("a", &[]),
            Rev::new("b", &["a"]),
            Rev::new("c1", &["b"]).label("c1branch"),
            Rev::new("c2", &["b"]).label("c2branch"),
            Rev::new("d1", &["c1"]),
            Rev::new("d2", &["c2"]),
        ]
    }

    /// Dep: a1[core] <- a2; x1[feat] <- x2, x2 depends_on a2.
    pub fn dependency() -> Vec<Rev> {
        vec![
            Rev::new("a1", &[]).label("core"),
            Rev::new("a2", &["a1"]),
            Rev::new("x1", &[]).label("feat"),
            Rev::new("x2", &["x1"]).depends_on("a2"),
        ]
    }
}
