//! Section 6 of the Alembic reference, the cases that need a database, through the `mig`
//! binary on PostgreSQL and on SQLite: the version rows afterwards, which revision
//! bodies ran (each creates table `t_<id>`), and the error text word for word.

use crate::compat::project::{graphs, write_mig, Rev};
use crate::support::{block_on, pg_db, Mig};

enum Db {
    Pg(crate::support::PgDb),
    Sqlite(tempfile::TempDir),
}

impl Db {
    fn url(&self) -> String {
        match self {
            Db::Pg(db) => db.url().to_string(),
            Db::Sqlite(dir) => format!("sqlite:///{}", dir.path().join("cases.db").display()),
        }
    }

    async fn strings(&self, sql: &str) -> Vec<String> {
        let url = mig::url::DatabaseUrl::parse(&self.url()).expect("url");
        let settings = mig::config::ExecSettings::default();
        let mut conn = mig::db::open(&url, &settings).await.expect("connect");
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let rows: Vec<(String,)> = match &mut conn {
            mig::db::Connection::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await,
            mig::db::Connection::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await,
            mig::db::Connection::Mysql(_) => unreachable!("no MySQL here"),
        }
        .expect("query");
        rows.into_iter().map(|(s,)| s).collect()
    }

    fn rows(&self) -> Vec<String> {
        block_on(self.strings("SELECT version_num FROM alembic_version ORDER BY version_num"))
    }

    fn tables(&self) -> Vec<String> {
        let sql = match self {
            Db::Pg(_) => "SELECT tablename::text FROM pg_tables WHERE tablename LIKE 't\\_%' ORDER BY 1",
            Db::Sqlite(_) => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY 1"
            }
        };
        block_on(self.strings(sql))
            .into_iter()
            .map(|t| t.trim_start_matches("t_").to_string())
            .collect()
    }

    fn exec(&self, sql: &str) {
        let _ = block_on(self.strings(&format!("{sql} RETURNING 'x'")));
    }
}

struct Case {
    dir: tempfile::TempDir,
    db: Db,
}

impl Case {
    fn new(revs: &[Rev], pg: bool) -> Case {
        let db = if pg {
            Db::Pg(pg_db("case"))
        } else {
            Db::Sqlite(tempfile::tempdir().expect("tempdir"))
        };
        let dir = tempfile::tempdir().expect("tempdir");
        write_mig(dir.path(), revs, &db.url(), &[]);
        Case { dir, db }
    }

    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Mig::new(self.dir.path()).args(args).run();
        let failed = out
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("FAILED: "))
            .unwrap_or_default()
            .to_string();
        (out.code == 0, failed)
    }

    fn ok(&self, args: &[&str]) {
        let (ok, err) = self.run(args);
        assert!(ok, "mig {args:?} failed: {err}");
    }

    fn fails(&self, args: &[&str], message: &str) {
        let (ok, err) = self.run(args);
        assert!(!ok, "mig {args:?} should fail");
        assert_eq!(err, message, "mig {args:?}");
    }

    fn state(&self) -> (Vec<String>, Vec<String>) {
        (self.db.rows(), self.db.tables())
    }
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const A: &str = "1a2b3c4d5e6f";
const B: &str = "2b3c4d5e6f70";
const C: &str = "3c4d5e6f7081";
const D: &str = "3c4d99999999";

fn linear_cases(pg: bool) {
    let l = graphs::linear();
    // 5: +2 from empty runs A, B.
    let c = Case::new(&l, pg);
    c.ok(&["upgrade", "+2"]);
    assert_eq!(c.state(), (v(&[B]), v(&[A, B])));
    // 6: +10 from B.
    c.fails(
        &["upgrade", "+10"],
        "Relative revision +10 didn't produce 10 migrations",
    );
    c.ok(&["upgrade", C]);
    // 7, 8, 9 at C.
    c.fails(
        &["downgrade", "+1"],
        "Relative revision +1 didn't produce 1 migrations",
    );
    c.ok(&["upgrade", "1a2b"]);
    assert_eq!(
        c.state(),
        (v(&[C]), v(&[A, B, C])),
        "an older target runs nothing"
    );
    c.fails(
        &["downgrade", "4e5f"],
        "Destination 4e5f is not a valid downgrade target from current head(s)",
    );
    // 3: an ambiguous prefix.
    c.fails(
        &["upgrade", "3c4d"],
        "Can't locate revision identified by '3c4d'",
    );
    // 10: head-1 from C is D; 2b3c+1 from D goes down to C.
    c.ok(&["upgrade", "head-1"]);
    assert_eq!(c.state(), (v(&[D]), v(&[A, B, C, D])));
    c.ok(&["downgrade", "2b3c+1"]);
    assert_eq!(c.state(), (v(&[C]), v(&[A, B, C])));
    // 11: downgrade base deletes the row; the table stays.
    c.ok(&["downgrade", "base"]);
    assert_eq!(c.state(), (v(&[]), v(&[])));
    c.ok(&["upgrade", "base+1"]);
    assert_eq!(c.state(), (v(&[A]), v(&[A])));
    // 10: from A, 1a2b+2 runs B and C.
    c.ok(&["upgrade", "1a2b+2"]);
    assert_eq!(c.state(), (v(&[C]), v(&[A, B, C])));
    // 27: rows {A, C}.
    c.db.exec(&format!("INSERT INTO alembic_version VALUES ('{A}')"));
    c.fails(
        &["upgrade", "head"],
        &format!("Requested revision {C} overlaps with other requested revisions {A}"),
    );
    // 28: an unknown row.
    let c = Case::new(&l, pg);
    c.ok(&["ensure-version"]);
    c.db.exec("INSERT INTO alembic_version VALUES ('deadbeef0000')");
    c.fails(
        &["current"],
        "Can't locate revision identified by 'deadbeef0000'",
    );
}

fn branch_cases(pg: bool) {
    let mut br = graphs::merge();
    br.retain(|r| r.id != "m");
    // 12, 13.
    let c = Case::new(&br, pg);
    c.fails(
        &["upgrade", "head"],
        "Multiple head revisions are present for given argument 'head'; please specify a \
         specific target revision, '<branchname>@head' to narrow to a specific head, or \
         'heads' for all heads",
    );
    c.ok(&["upgrade", "heads"]);
    assert_eq!(c.state(), (v(&["b1", "c1"]), v(&["a", "b1", "c1"])));
    // 15, 16, 17 on M.
    let c = Case::new(&graphs::merge(), pg);
    c.ok(&["upgrade", "head"]);
    assert_eq!(c.state(), (v(&["m"]), v(&["a", "b1", "c1", "m"])));
    c.fails(&["downgrade", "-1"], "Ambiguous walk");
    c.ok(&["downgrade", "b1"]);
    assert_eq!(c.state(), (v(&["b1", "c1"]), v(&["a", "b1", "c1"])));
    c.ok(&["upgrade", "head"]);
    c.ok(&["downgrade", "a"]);
    assert_eq!(c.state(), (v(&["a"]), v(&["a"])));
}

fn branchpoint_cases(pg: bool) {
    let bp = graphs::branchpoint();
    // 18: at {c1, c2}, +1 is ambiguous.
    let c = Case::new(&bp, pg);
    c.ok(&["upgrade", "c1"]);
    c.ok(&["upgrade", "c2"]);
    assert_eq!(c.db.rows(), v(&["c1", "c2"]));
    c.fails(
        &["upgrade", "+1"],
        "Ambiguous upgrade from multiple current revisions",
    );
    // 20, 21 at {d1, d2}.
    c.ok(&["upgrade", "heads"]);
    c.ok(&["downgrade", "c1branch@-1"]);
    assert_eq!(
        c.state(),
        (v(&["c1", "d2"]), v(&["a", "b", "c1", "c2", "d2"]))
    );
    c.ok(&["upgrade", "heads"]);
    c.ok(&["downgrade", "c2branch@base+2"]);
    assert_eq!(c.db.rows(), v(&["d1"]));
    // 19: at b, c2branch@head-1.
    let c = Case::new(&bp, pg);
    c.ok(&["upgrade", "b"]);
    c.ok(&["upgrade", "c2branch@head-1"]);
    assert_eq!(c.state(), (v(&["c2"]), v(&["a", "b", "c2"])));
    // 22: at {c1}, c2branch@+1.
    let c = Case::new(&bp, pg);
    c.ok(&["upgrade", "c1"]);
    c.ok(&["upgrade", "c2branch@+1"]);
    assert_eq!(c.state(), (v(&["c1", "c2"]), v(&["a", "b", "c1", "c2"])));
    // 23.
    // 23 (the command-line wrap, as compat::offline checks against Alembic).
    c.fails(
        &["upgrade", "x@d1"],
        "Can't locate revision identified by 'x'",
    );
}

fn dependency_cases(pg: bool) {
    // 25: feat@head runs the dependency's branch too; only x2 is stored.
    let c = Case::new(&graphs::dependency(), pg);
    c.ok(&["upgrade", "feat@head"]);
    assert_eq!(c.state(), (v(&["x2"]), v(&["a1", "a2", "x1", "x2"])));
}

fn all(pg: bool) {
    linear_cases(pg);
    branch_cases(pg);
    branchpoint_cases(pg);
    dependency_cases(pg);
}

#[test]
fn reference_cases_on_postgresql() {
    all(true);
}

#[test]
fn reference_cases_on_sqlite() {
    all(false);
}
