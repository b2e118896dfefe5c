//! The online engine on real servers: version-table writes by Alembic's rules, the version
//! table in `version_table_schema` with `search_path` set, `current`, `ensure-version`,
//! `stamp` with `--purge`.

use mig::config::{ExecSettings, VersionTable};
use mig::engine;
use mig::provision::TempSqlite;
use mig::revision::graph::RevisionMap;
use mig::revision::plan::Plan;
use mig::revision::Revision;

use crate::online_support::*;
use crate::support;

fn merge_graph() -> Vec<Revision> {
    vec![
        table_rev("a", &[]),
        table_rev("b1", &["a"]),
        table_rev("c1", &["a"]),
        rev("m", &["b1", "c1"], "", ""),
    ]
}

/// Reference case 14: `upgrade head` over the merge graph from an empty database.
fn merge_upgrade<'m>(map: &'m RevisionMap, heads: &[String]) -> Result<Plan<'m>, String> {
    assert!(heads.is_empty(), "{heads:?}");
    Ok(plan(
        &[],
        vec![
            up(map, "a", &[], &["a"], vec![ins("a")]),
            up(map, "c1", &["a"], &["c1"], vec![upd("a", "c1")]),
            up(map, "b1", &["a"], &["b1"], vec![ins("b1")]),
            up(
                map,
                "m",
                &["b1", "c1"],
                &["m"],
                vec![del("b1"), upd("c1", "m")],
            ),
        ],
        &["m"],
    ))
}

/// Reference case 16: `downgrade b1` from `m`.
fn merge_downgrade_to_b1<'m>(map: &'m RevisionMap, heads: &[String]) -> Result<Plan<'m>, String> {
    assert_eq!(heads, ["m"]);
    Ok(plan(
        &["m"],
        vec![down(
            map,
            "m",
            &["m"],
            &["b1", "c1"],
            vec![ins("c1"), upd("m", "b1")],
        )],
        &["b1", "c1"],
    ))
}

const LINEAR: [&str; 3] = ["a", "b", "c"];

fn linear() -> Vec<Revision> {
    LINEAR
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let down: Vec<&str> = i.checked_sub(1).map(|p| LINEAR[p]).into_iter().collect();
            rev(
                id,
                &down,
                &format!("CREATE TABLE t_{id} (id INTEGER);"),
                &format!("DROP TABLE t_{id};"),
            )
        })
        .collect()
}

#[tokio::test]
async fn postgres_linear_upgrade_and_downgrade_write_versions_like_alembic() {
    let db = support::pg_db("online_linear");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    engine::ensure_version(&config, &target).await.unwrap();
    let mut conn = pg(db.url()).await;
    exec_pg(&mut conn, PG_VERSION_LOG).await;

    let revisions = graph(linear());
    let outcome = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &LINEAR, heads, "c")
    })
    .await
    .unwrap();
    assert_eq!(outcome.start_heads, Vec::<String>::new());
    assert_eq!(outcome.end_heads, ["c"]);
    let logs: Vec<&str> = outcome.steps.iter().map(|s| s.log.as_str()).collect();
    assert_eq!(logs, ["upgrade  -> a", "upgrade a -> b", "upgrade b -> c"]);
    assert!(outcome.steps.iter().all(|s| s.statements == 1));
    assert_eq!(
        strings_pg(&mut conn, LOG_QUERY).await,
        ["INSERT a", "UPDATE a->b", "UPDATE b->c"]
    );
    assert!(pg_table_exists(&mut conn, "t_c").await);

    engine::downgrade(&config, &target, &revisions, |heads: &[String]| {
        downgrade_plan(&revisions, &LINEAR, heads, None)
    })
    .await
    .unwrap();
    assert_eq!(
        strings_pg(&mut conn, LOG_QUERY).await[3..],
        ["UPDATE c->b", "UPDATE b->a", "DELETE a"]
    );
    assert!(!pg_table_exists(&mut conn, "t_a").await);
    // The table stays, empty (reference case 11).
    assert!(pg_table_exists(&mut conn, "alembic_version").await);
    assert_eq!(
        engine::current(&config, &target).await.unwrap(),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn postgres_merge_graph_writes_versions_like_alembic_case_14() {
    let db = support::pg_db("online_merge");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    engine::ensure_version(&config, &target).await.unwrap();
    let mut conn = pg(db.url()).await;
    exec_pg(&mut conn, PG_VERSION_LOG).await;

    let revisions = graph(merge_graph());
    engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        merge_upgrade(&revisions, heads)
    })
    .await
    .unwrap();
    assert_eq!(
        strings_pg(&mut conn, LOG_QUERY).await,
        [
            "INSERT a",
            "UPDATE a->c1",
            "INSERT b1",
            "DELETE b1",
            "UPDATE c1->m"
        ]
    );
    engine::downgrade(&config, &target, &revisions, |heads: &[String]| {
        merge_downgrade_to_b1(&revisions, heads)
    })
    .await
    .unwrap();
    let mut rows = engine::current(&config, &target).await.unwrap();
    rows.sort();
    assert_eq!(rows, ["b1", "c1"]);
}

#[tokio::test]
async fn sqlite_merge_graph_and_linear_downgrade_write_versions_like_alembic() {
    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    engine::ensure_version(&config, &target).await.unwrap();
    let mut conn = lite(file.path()).await;
    exec_lite(&mut conn, SQLITE_VERSION_LOG).await;

    let revisions = graph(merge_graph());
    let outcome = engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        merge_upgrade(&revisions, heads)
    })
    .await
    .unwrap();
    assert_eq!(outcome.end_heads, ["m"]);
    assert_eq!(
        strings_lite(&mut conn, LOG_QUERY).await,
        [
            "INSERT a",
            "UPDATE a->c1",
            "INSERT b1",
            "DELETE b1",
            "UPDATE c1->m"
        ]
    );
    assert_eq!(
        strings_lite(
            &mut conn,
            "SELECT name FROM sqlite_master WHERE name LIKE 't_%' ORDER BY name"
        )
        .await,
        ["t_a", "t_b1", "t_c1"]
    );
    engine::downgrade(&config, &target, &revisions, |heads: &[String]| {
        merge_downgrade_to_b1(&revisions, heads)
    })
    .await
    .unwrap();
    assert_eq!(
        strings_lite(&mut conn, LOG_QUERY).await[5..],
        ["INSERT c1", "UPDATE m->b1"]
    );
}

#[tokio::test]
async fn sqlite_linear_round_trip() {
    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let target = url(&file.url());
    let revisions = graph(linear());
    engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &LINEAR, heads, "b")
    })
    .await
    .unwrap();
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["b"]);
    engine::downgrade(&config, &target, &revisions, |heads: &[String]| {
        downgrade_plan(&revisions, &LINEAR, heads, None)
    })
    .await
    .unwrap();
    let mut conn = lite(file.path()).await;
    assert_eq!(
        strings_lite(
            &mut conn,
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        .await,
        ["alembic_version", "mig_history"]
    );
    assert_eq!(
        engine::current(&config, &target).await.unwrap(),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn version_table_lands_in_its_schema_and_bodies_see_the_search_path() {
    let db = support::pg_db("online_schema");
    let config = config(ExecSettings {
        version_table: VersionTable {
            table: "alembic_version".into(),
            schema: Some("zero_admin".into()),
            pk: true,
        },
        search_path: Some("zero_admin, public".into()),
        ..ExecSettings::default()
    });
    let target = url(db.url());
    let revisions = graph(vec![rev(
        "a",
        &[],
        "CREATE TABLE seen AS SELECT current_setting('search_path') AS sp;",
        "DROP TABLE seen;",
    )]);
    engine::upgrade(&config, &target, &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["a"], heads, "a")
    })
    .await
    .unwrap();

    let mut conn = pg(db.url()).await;
    assert_eq!(
        strings_pg(
            &mut conn,
            "SELECT version_num FROM zero_admin.alembic_version"
        )
        .await,
        ["a"]
    );
    assert!(!pg_table_exists(&mut conn, "public.alembic_version").await);
    assert_eq!(
        strings_pg(&mut conn, "SELECT sp FROM zero_admin.seen").await,
        ["zero_admin, public"]
    );
    assert!(pg_table_exists(&mut conn, "zero_admin.mig_history").await);
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["a"]);
}

#[tokio::test]
async fn current_never_creates_the_table_and_ensure_version_is_idempotent() {
    let db = support::pg_db("online_current");
    let config = config(ExecSettings {
        version_table: VersionTable {
            table: "my_ver".into(),
            schema: Some("myschema".into()),
            pk: true,
        },
        ..ExecSettings::default()
    });
    let target = url(db.url());
    assert_eq!(
        engine::current(&config, &target).await.unwrap(),
        Vec::<String>::new()
    );
    let mut conn = pg(db.url()).await;
    assert!(strings_pg(
        &mut conn,
        "SELECT nspname::text FROM pg_namespace WHERE nspname = 'myschema'"
    )
    .await
    .is_empty());

    engine::ensure_version(&config, &target).await.unwrap();
    engine::ensure_version(&config, &target).await.unwrap();
    assert!(pg_table_exists(&mut conn, "myschema.my_ver").await);
    assert_eq!(
        strings_pg(
            &mut conn,
            "SELECT conname::text FROM pg_constraint WHERE conrelid = 'myschema.my_ver'::regclass"
        )
        .await,
        ["my_ver_pkc"]
    );
    // No step ran, so no history table.
    assert!(!pg_table_exists(&mut conn, "myschema.mig_history").await);
}

#[tokio::test]
async fn stamp_purge_replaces_every_row() {
    let db = support::pg_db("online_purge");
    let config = config(ExecSettings::default());
    let target = url(db.url());
    let mut conn = pg(db.url()).await;
    engine::ensure_version(&config, &target).await.unwrap();
    exec_pg(
        &mut conn,
        "INSERT INTO alembic_version VALUES ('x1'), ('x2')",
    )
    .await;
    let revisions = graph(linear());
    let outcome = engine::stamp(&config, &target, &revisions, true, |heads: &[String]| {
        assert!(heads.is_empty(), "purge plans from no heads");
        Ok::<_, String>(plan(&[], vec![stamp(&[], &["b"], vec![ins("b")])], &["b"]))
    })
    .await
    .unwrap();
    assert_eq!(outcome.start_heads.len(), 2);
    assert_eq!(outcome.end_heads, ["b"]);
    assert_eq!(engine::current(&config, &target).await.unwrap(), ["b"]);
    // Stamping runs no body.
    assert!(!pg_table_exists(&mut conn, "t_a").await);
}

/// A `MakeWriter` collecting everything logged.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_step_logs_running_at_info_under_target_mig() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let file = TempSqlite::new().unwrap();
    let config = config(ExecSettings::default());
    let revisions = graph(linear());
    engine::upgrade(
        &config,
        &url(&file.url()),
        &revisions,
        |heads: &[String]| upgrade_plan(&revisions, &LINEAR, heads, "b"),
    )
    .await
    .unwrap();
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        text,
        " INFO mig: Running upgrade  -> a, revision a\n INFO mig: Running upgrade a -> b, revision b\n"
    );
}

/// A role that may not create schemas can still migrate into a schema made for it: mig
/// does not run `CREATE SCHEMA IF NOT EXISTS` (which PostgreSQL refuses without the
/// privilege, even when the schema exists) when the schema is already there.
#[tokio::test]
async fn an_existing_schema_needs_no_create_privilege() {
    let db = support::pg_db("online_no_create");
    let mut admin = pg(db.url()).await;
    exec_pg(
        &mut admin,
        "DO $$ BEGIN CREATE ROLE mig_online_app LOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
         CREATE SCHEMA app AUTHORIZATION mig_online_app",
    )
    .await;
    let as_app = db.url().replacen("mig@", "mig_online_app@", 1);
    let config = config(ExecSettings {
        version_table: VersionTable {
            schema: Some("app".into()),
            ..VersionTable::default()
        },
        ..ExecSettings::default()
    });
    let revisions = graph(vec![rev(
        "a",
        &[],
        "CREATE TABLE app.t (id INTEGER);",
        "DROP TABLE app.t;",
    )]);
    engine::upgrade(&config, &url(&as_app), &revisions, |heads: &[String]| {
        upgrade_plan(&revisions, &["a"], heads, "a")
    })
    .await
    .unwrap();
    assert_eq!(
        strings_pg(&mut admin, "SELECT version_num FROM app.alembic_version").await,
        ["a"]
    );
}
