use super::*;
use crate::revision::directory::load_revisions;

fn demo() -> (Config, RevisionMap) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::with_defaults(root.join("alembic.ini"));
    let revisions = load_revisions(&config.version_locations, false).unwrap();
    (config, RevisionMap::new(revisions).unwrap())
}

fn lines(p: &Preflight) -> String {
    p.checks
        .iter()
        .map(|c| format!("{} {}: {}", c.status.icon(), c.title, c.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn demo_graph() {
    let (config, map) = demo();
    let url = DatabaseUrl::parse("postgresql+psycopg://u:secret@db:6543/postgres?sslmode=require")
        .map_err(|e| ConfigError::Url {
            origin: String::new(),
            error: e,
        });
    let p = preflight(
        &config,
        Ok(&map),
        &UrlFacts {
            url: &url,
            needed: true,
        },
    );
    insta::assert_snapshot!(lines(&p), @r"
        ℹ️ configuration: `alembic.ini`, section `[alembic]`
        ✅ exactly one version location: 1 version location: `versions`
        ✅ database URL: dialect `postgresql`, driver `psycopg`, normalised `postgresql://u:***@db:6543/postgres?sslmode=require`
        ✅ revision files load: 3 revision files parsed, graph built
        ✅ revision graph: 3 revisions; head: `251018_schema_v1_inbox`; base: `000000000000`
        ✅ revision ids fit `VARCHAR(32)`: longest id `251018_initial_baseline`: 23 of 32 characters
        ");
    let ids: Vec<_> = p.revisions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "000000000000",
            "251018_initial_baseline",
            "251018_schema_v1_inbox"
        ]
    );
    assert_eq!(
        p.revisions[0].file,
        "versions/000000000000_create_zero_admin_schema.sql"
    );
    let url_setting = p
        .settings
        .iter()
        .find(|s| s.key == "sqlalchemy.url")
        .unwrap();
    assert!(!url_setting.value.contains("secret"));
}

#[test]
fn failures_and_unneeded_urls() {
    let (mut config, _) = demo();
    config.version_locations.push("/elsewhere".into());
    config.dialect = Some(crate::dialect::Dialect::Postgresql);
    let sqlite = DatabaseUrl::parse("sqlite:///t.db").map_err(|e| ConfigError::Url {
        origin: String::new(),
        error: e,
    });
    let p = preflight(
        &config,
        Err("`versions/x.sql` line 3: missing `Revision ID`"),
        &UrlFacts {
            url: &sqlite,
            needed: false,
        },
    );
    insta::assert_snapshot!(lines(&p), @r"
        ℹ️ configuration: `alembic.ini`, section `[alembic]`
        ⚠️ exactly one version location: 2 version locations: `versions`, `/elsewhere`
        ⚠️ database URL: dialect `sqlite`, normalised `sqlite:///t.db`; `[mig] dialect` says `postgresql`, the URL `sqlite`
        ❌ revision files load: `versions/x.sql` line 3: missing `Revision ID`
        ⏭ revision graph: the revision files did not load
        ⏭ revision ids fit `VARCHAR(32)`: the revision files did not load
        ");
}
