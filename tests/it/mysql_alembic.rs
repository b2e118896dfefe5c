//! mig and real Alembic (through pymysql) on one MariaDB database: Alembic upgrades
//! halfway, mig continues, Alembic reads what mig wrote and goes back down, mig finishes;
//! `current` reads the same through both. The version table each creates is the same.

use crate::compat::alembic::{alembic, text};
use crate::compat::project::{graphs, write_pair};
use crate::support::mariadb::{my_db, my_query, MariaDb};
use crate::support::Mig;

/// The `sqlalchemy.url` of `database` for both tools (SQLAlchemy's pymysql form).
fn pymysql_url(database: &str) -> String {
    format!(
        "mysql+pymysql://root@127.0.0.1:{}/{database}",
        MariaDb::get().port()
    )
}

#[test]
fn alembic_upgrades_halfway_mig_continues_and_the_other_way_round() {
    let db = my_db("my_alembic");
    let pair = write_pair(&graphs::linear(), &pymysql_url(db.name()), &[]);
    let run_alembic = |args: &[&str]| {
        let out = alembic(&pair.alembic_dir, args);
        assert!(
            out.status.success(),
            "alembic {args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    let run_mig = |args: &[&str]| Mig::new(&pair.mig_dir).args(args).run().success().stdout;

    run_alembic(&["upgrade", "2b3c4d5e6f70"]);
    assert_eq!(run_mig(&["current"]), "2b3c4d5e6f70\n");
    assert_eq!(run_mig(&["current"]), run_alembic(&["current"]));

    run_mig(&["upgrade", "head"]);
    assert_eq!(run_alembic(&["current"]), "4e5f60718293 (head)\n");
    assert_eq!(run_mig(&["current"]), run_alembic(&["current"]));
    assert_eq!(
        my_query(db.url(), "SELECT count(*) FROM t_4e5f60718293"),
        ["0"]
    );

    run_alembic(&["downgrade", "3c4d5e6f7081"]);
    assert_eq!(run_mig(&["current"]), "3c4d5e6f7081\n");
    run_mig(&["downgrade", "base"]);
    assert_eq!(run_alembic(&["current"]), "");
    assert_eq!(
        my_query(
            db.url(),
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = DATABASE() ORDER BY table_name"
        ),
        ["alembic_version", "mig_history"]
    );
    // mig's history has the steps it ran, not Alembic's.
    assert_eq!(
        my_query(
            db.url(),
            "SELECT concat(revision, ' ', direction) FROM mig_history \
             ORDER BY started_at, direction DESC"
        ),
        [
            "3c4d5e6f7081 upgrade",
            "3c4d99999999 upgrade",
            "4e5f60718293 upgrade",
            "3c4d5e6f7081 downgrade",
            "2b3c4d5e6f70 downgrade",
            "1a2b3c4d5e6f downgrade",
        ]
    );
}

#[test]
fn the_version_table_mig_creates_is_the_one_alembic_creates() {
    let by_alembic = my_db("my_vt_alembic");
    let by_mig = my_db("my_vt_mig");
    let revs = graphs::linear();
    let alembic_pair = write_pair(&revs, &pymysql_url(by_alembic.name()), &[]);
    let mig_pair = write_pair(&revs, &pymysql_url(by_mig.name()), &[]);
    let out = alembic(&alembic_pair.alembic_dir, &["upgrade", "1a2b3c4d5e6f"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    Mig::new(&mig_pair.mig_dir)
        .args(["upgrade", "1a2b3c4d5e6f"])
        .run()
        .success();
    let layout = |url: &str| {
        my_query(
            url,
            "SELECT concat_ws(' ', c.column_name, c.column_type, c.is_nullable, \
             c.column_key, c.collation_name, t.engine, k.constraint_name) \
             FROM information_schema.columns c \
             JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             LEFT JOIN information_schema.key_column_usage k \
               ON k.table_schema = c.table_schema AND k.table_name = c.table_name \
              AND k.column_name = c.column_name \
             WHERE c.table_schema = DATABASE() AND c.table_name = 'alembic_version'",
        )
    };
    assert_eq!(layout(by_mig.url()), layout(by_alembic.url()));
    assert_eq!(
        layout(by_mig.url())[0]
            .split(' ')
            .take(4)
            .collect::<Vec<_>>(),
        ["version_num", "varchar(32)", "NO", "PRI"]
    );
}
