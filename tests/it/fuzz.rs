//! Property tests with a small deterministic generator (no fuzzing dependency): the ini
//! reader with interpolation bombs, the revision-file parser, and the graph builder with
//! the plans and walks on top of it. Each property: no panic, and every case's work is
//! bounded by construction (an interpolated value never outgrows the bound plus the
//! file; a walk never returns more revisions than the graph has). Fixed seeds, so a
//! failure reproduces; a few thousand cases each, a few seconds in a debug build.

use std::collections::BTreeMap;
use std::path::Path;

use mig::config::interpolate::MAX_LENGTH;
use mig::config::{Defaults, Ini};
use mig::revision::graph::RevisionMap;
use mig::revision::parse::parse_revision;
use mig::revision::plan;

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A random ini file: known Alembic and mig keys, references between keys (wide and
/// deep enough to make bombs), loops, `[DEFAULT]`, broken syntax.
fn ini_text(rng: &mut Rng) -> String {
    let sections = [
        "[alembic]",
        "[mig]",
        "[DEFAULT]",
        "[other]",
        "[]",
        "[alembic",
    ];
    let keys = [
        "script_location",
        "sqlalchemy.url",
        "version_locations",
        "file_template",
        "dialect",
        "lock_timeout",
        "x1",
        "x2",
        "x3",
        "x4",
        "X5",
    ];
    let atoms = [
        "%(here)s",
        "%(x1)s",
        "%(x2)s",
        "%(x3)s",
        "%(x4)s",
        "%(x5)s",
        "%(DATABASE_URL)s",
        "%(script_location)s",
        "%%",
        "%",
        "%(",
        "%(x)d",
        "plain",
        "é",
        "",
    ];
    let mut text = String::new();
    for _ in 0..(1 + rng.below(12)) {
        match rng.below(10) {
            0 => text.push_str(rng.pick(&sections)),
            1 => text.push_str("  continued line"),
            2 => text.push_str(rng.pick(&["# c", "; c", "", "=", "junk"])),
            _ => {
                text.push_str(rng.pick(&keys));
                text.push_str(rng.pick(&[" = ", ": ", "="]));
                // Up to 16 atoms: x_n referring to x_(n-1) many times is a bomb.
                for _ in 0..rng.below(17) {
                    text.push_str(rng.pick(&atoms));
                }
            }
        }
        text.push('\n');
    }
    text
}

/// A classic bomb of random depth and fan-out, in a random key.
fn bomb(rng: &mut Rng) -> String {
    let levels = 2 + rng.below(12);
    let fan_out = 1 + rng.below(12);
    let mut text = String::from("[alembic]\nx1 = boom\n");
    for level in 2..=levels {
        let refs = format!("%(x{})s", level - 1).repeat(fan_out);
        text.push_str(&format!("x{level} = {refs}\n"));
    }
    text.push_str(&format!("script_location = %(x{levels})s\n"));
    text
}

#[test]
fn ini_reader_never_panics_and_interpolation_stays_bounded() {
    let env = BTreeMap::from([
        (
            "DATABASE_URL".to_string(),
            "postgresql://u@h/db".to_string(),
        ),
        ("X5".to_string(), "%(x1)s".to_string()),
    ]);
    let defaults = Defaults::new().with("here", "/proj").with_env(&env);
    let mut rng = Rng(9);
    let mut interpolated = 0;
    for case in 0..3_000 {
        let text = if case % 5 == 0 {
            bomb(&mut rng)
        } else {
            ini_text(&mut rng)
        };
        let Ok(ini) = Ini::parse(&text, "fuzz.ini") else {
            continue;
        };
        let sections: Vec<String> = ini.section_names().map(str::to_string).collect();
        for section in sections.iter().map(String::as_str).chain(["DEFAULT"]) {
            for key in [
                "script_location",
                "sqlalchemy.url",
                "file_template",
                "x1",
                "x2",
                "x3",
                "x4",
                "x5",
                "x12",
            ] {
                if let Ok(Some(value)) = ini.get(section, key, &defaults) {
                    interpolated += 1;
                    assert!(
                        value.len() <= MAX_LENGTH + text.len(),
                        "case {case}: `{key}` grew to {} bytes from:\n{text}",
                        value.len()
                    );
                }
            }
        }
    }
    assert!(interpolated > 1_000, "only {interpolated} values resolved");
}

/// A random revision file: header lines, markers, SQL with quotes, comments and
/// dollar quoting, some of it unterminated.
fn revision_text(rng: &mut Rng) -> String {
    let header = [
        "-- message",
        "--",
        "-- Revision ID: a1",
        "-- Revision ID: ",
        "-- Revision ID: a-b",
        "-- Revises: ",
        "-- Revises: a0, a2",
        "-- Revises: None",
        "-- Branch Labels: x, y",
        "-- Depends On: a0",
        "-- Transaction: none",
        "-- Transaction: maybe",
        "-- Downgrade Keeps: schema s",
        "-- Downgrade Keeps: nonsense",
        "-- Create Date: 2025-10-18 17:30:00+00:00",
        "-- Unknown: value",
        "",
    ];
    let body = [
        "-- migrate:upgrade",
        "-- migrate:downgrade",
        "-- migrate:downgrade irreversible",
        "CREATE TABLE t (id int);",
        "SELECT 'it''s';",
        "SELECT 'open",
        "SELECT $$ body; $$;",
        "SELECT $tag$ unterminated",
        "/* nested /* comment */ */ SELECT 1;",
        "/* open comment",
        "SELECT E'\\'';",
        "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END;",
        "\"quoted",
        ";",
        "",
    ];
    let mut text = String::new();
    if rng.chance(50) {
        // Free-form: mostly refused, at every line.
        for _ in 0..rng.below(8) {
            text.push_str(rng.pick(&header));
            text.push('\n');
        }
        for _ in 0..rng.below(10) {
            text.push_str(rng.pick(&body));
            text.push('\n');
        }
        return text;
    }
    // A valid skeleton with random lines in each part.
    text.push_str("-- message\n--\n-- Revision ID: a1\n-- Revises: a0\n");
    if rng.chance(30) {
        text.push_str(rng.pick(&header));
        text.push('\n');
    }
    text.push_str("\n-- migrate:upgrade\n");
    for _ in 0..rng.below(4) {
        text.push_str(rng.pick(&body[3..]));
        text.push('\n');
    }
    text.push_str("\n-- migrate:downgrade\n");
    for _ in 0..rng.below(4) {
        text.push_str(rng.pick(&body[3..]));
        text.push('\n');
    }
    text
}

#[test]
fn revision_parser_never_panics() {
    let mut rng = Rng(11);
    let mut parsed = 0;
    for _ in 0..5_000 {
        let text = revision_text(&mut rng);
        match parse_revision(Path::new("versions/fuzz.sql"), &text) {
            Ok(revision) => {
                parsed += 1;
                assert!(text.contains(&format!("Revision ID: {}", revision.id)));
            }
            Err(err) => {
                // Every refusal names the file and a line inside it.
                let shown = err.to_string();
                assert!(shown.starts_with("versions/fuzz.sql:"), "{shown}");
                assert!(err.line >= 1 && err.line <= text.lines().count().max(1));
            }
        }
    }
    assert!(parsed > 500, "only {parsed} files parsed");
}

/// A random graph of up to 12 revisions: parents and dependencies anywhere (so cycles,
/// self-loops and unknown ids), labels that may clash.
fn graph(rng: &mut Rng) -> Vec<mig::revision::Revision> {
    let count = 1 + rng.below(12);
    let ids: Vec<String> = (0..count).map(|i| format!("r{i}")).collect();
    let mut revisions = Vec::with_capacity(count);
    for (i, id) in ids.iter().enumerate() {
        let mut header = format!("-- rev {id}\n--\n-- Revision ID: {id}\n");
        let mut parents = vec![];
        for _ in 0..rng.below(3) {
            // Mostly earlier revisions (a valid graph), sometimes any, or an unknown id.
            let parent = if rng.chance(85) && i > 0 {
                ids[rng.below(i)].clone()
            } else if rng.chance(50) {
                ids[rng.below(count)].clone()
            } else {
                "ghost".to_string()
            };
            if !parents.contains(&parent) {
                parents.push(parent);
            }
        }
        header.push_str(&format!("-- Revises: {}\n", parents.join(", ")));
        if rng.chance(20) {
            header.push_str(&format!(
                "-- Branch Labels: {}\n",
                rng.pick(&["b0", "b1", "b2"])
            ));
        }
        if rng.chance(15) {
            let dep = if rng.chance(50) {
                ids[rng.below(count)].clone()
            } else {
                rng.pick(&["b0", "b1", "nowhere"]).to_string()
            };
            header.push_str(&format!("-- Depends On: {dep}\n"));
        }
        let text = format!(
            "{header}\n-- migrate:upgrade\nCREATE TABLE t_{id} (id int);\n\n\
             -- migrate:downgrade\nDROP TABLE t_{id};\n"
        );
        let path = format!("versions/{id}.sql");
        if let Ok(revision) = parse_revision(Path::new(&path), &text) {
            revisions.push(revision);
        }
    }
    revisions
}

#[test]
fn graph_builder_and_walks_never_panic() {
    let targets = [
        "head", "heads", "base", "r0", "r3", "r1@head", "b0@head", "b1@base", "-1", "+1", "+2",
        "head-1", "base+1", "b0@+1", "r", "ghost",
    ];
    let mut rng = Rng(13);
    let mut built = 0;
    for case in 0..3_000 {
        let revisions = graph(&mut rng);
        let count = revisions.len();
        let map = match RevisionMap::new(revisions) {
            Ok(map) => map,
            Err(err) => {
                // Load errors name at least one file and line, after Alembic's text.
                let shown = err.to_string();
                assert!(shown.contains("versions/"), "case {case}: {shown}");
                assert!(shown.contains(".sql:"), "case {case}: {shown}");
                continue;
            }
        };
        built += 1;
        let history = map.history(None, None, &[]).expect("whole history");
        assert_eq!(history.len(), count, "case {case}");
        assert!(map.heads().len() <= count);
        let heads: Vec<String> = map.heads().iter().map(|r| r.id().to_string()).collect();
        for target in targets {
            if let Ok(plan) = plan::upgrade(&map, &[], target) {
                assert!(plan.steps.len() <= count, "case {case}: upgrade {target}");
            }
            if let Ok(plan) = plan::downgrade(&map, &heads, target) {
                assert!(plan.steps.len() <= count, "case {case}: downgrade {target}");
            }
            let _ = map.get_revisions(target);
        }
        let _ = map.history(Some("r1"), Some("heads"), &heads);
        let _ = map.history(Some("current"), None, &heads);
    }
    assert!(built > 300, "only {built} graphs were valid");
}
