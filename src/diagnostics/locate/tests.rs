use std::path::Path;

use super::*;
use crate::revision::parse::parse_revision;

/// A project in `/p` with a revision whose downgrade has SQL, one whose downgrade is
/// empty, and an irreversible one.
fn project() -> RevisionMap {
    let files = [
        (
            "/p/versions/r1.sql",
            "-- one\n--\n-- Revision ID: r1\n-- Revises:\n\n-- migrate:upgrade\n\n\
             CREATE TABLE t (a int);\n\n-- migrate:downgrade\nDROP TABLE t;\n",
        ),
        (
            "/p/versions/r2.sql",
            "-- two\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- migrate:upgrade\n\
             CREATE INDEX ix ON t (a);\n\n-- migrate:downgrade\n",
        ),
        (
            "/p/versions/r3.sql",
            "-- three\n--\n-- Revision ID: r3\n-- Revises: r2\n\n-- migrate:upgrade\n\
             ALTER TABLE t ADD b int;\n\n-- migrate:downgrade irreversible\n",
        ),
    ];
    let revisions = files
        .iter()
        .map(|(path, text)| parse_revision(Path::new(path), text).expect("parse"))
        .collect();
    RevisionMap::new(revisions).expect("graph")
}

fn at(path: &str, line: usize) -> Option<Location> {
    Some(Location {
        path: path.into(),
        line: Some(line),
    })
}

#[test]
fn sections_are_located_relative_to_the_project() {
    let map = project();
    let sources = Sources::new(Path::new("/p"), &map);
    assert_eq!(sources.upgrade("r1"), at("versions/r1.sql", 8));
    assert_eq!(sources.downgrade("r1"), at("versions/r1.sql", 11));
    // An empty downgrade points at its marker, an irreversible one at its line.
    assert_eq!(sources.downgrade("r2"), at("versions/r2.sql", 9));
    assert_eq!(sources.downgrade("r3"), at("versions/r3.sql", 9));
    assert_eq!(sources.upgrade("nope"), None);
    // Outside the project directory the path stays absolute.
    let elsewhere = Sources::new(Path::new("/q"), &map);
    assert_eq!(elsewhere.upgrade("r2"), at("/p/versions/r2.sql", 7));
}

#[test]
fn the_failing_statement_is_read_from_the_engine_message_for_project_files_only() {
    let map = project();
    let sources = Sources::new(Path::new("/p"), &map);
    let message = "revision `r2` failed at `/p/versions/r2.sql` line 7, column 1: relation \
                   \"t\" does not exist (SQLSTATE 42P01)";
    assert_eq!(sources.failing_statement(message), at("versions/r2.sql", 7));
    // A file that is not a revision of the project, then one that is.
    let two = "seed failed at `/p/seeds/x.sql` line 3; revision `r1` failed at \
               `/p/versions/r1.sql` line 11, column 1: boom";
    assert_eq!(sources.failing_statement(two), at("versions/r1.sql", 11));
    for text in [
        "cannot drop table t because other objects depend on it",
        "failed at `/p/versions/r1.sql` line x",
        "failed at `/p/versions/r1.sql",
    ] {
        assert_eq!(sources.failing_statement(text), None, "{text}");
    }
}
