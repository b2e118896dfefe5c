use std::path::PathBuf;

use serde_json::Value;

use super::*;
use crate::diagnostics::{Diagnostic, Rule};

const RULES: &[Rule] = &[
    Rule {
        id: "t/residue",
        name: "Residue",
        summary: "left behind",
        help: "undo it",
        level: Level::Error,
    },
    Rule {
        id: "t/skipped",
        name: "Skipped",
        summary: "not run",
        help: "why",
        level: Level::Note,
    },
];

fn findings(located: Vec<(Level, &str, Option<Location>)>) -> Diagnostics {
    Diagnostics {
        command: "roundtrip",
        rules: RULES,
        findings: located
            .into_iter()
            .map(|(level, message, location)| Diagnostic {
                rule: if level == Level::Error {
                    "t/residue"
                } else {
                    "t/skipped"
                },
                level,
                message: message.to_string(),
                location,
            })
            .collect(),
        base: PathBuf::from("/srv/my app"),
        verdict: "roundtrip residue".into(),
    }
}

fn at(path: &str, line: Option<usize>) -> Option<Location> {
    Some(Location {
        path: path.into(),
        line,
    })
}

#[test]
fn a_log_has_the_schema_the_driver_with_every_rule_and_one_result_per_finding() {
    let sarif = render(&findings(vec![
        (
            Level::Error,
            "`r1` downgrade: extra index public.ix\n  definition: a -> b",
            at("versions/r1.sql", Some(12)),
        ),
        (Level::Note, "`r2` downgrade skipped", None),
    ]));
    assert!(sarif.ends_with("}\n"));
    let log: Value = serde_json::from_str(&sarif).expect("json");
    assert_eq!(log["$schema"], SCHEMA);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "mig");
    assert_eq!(run["tool"]["driver"]["fullName"], "mig roundtrip");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1]["id"], "t/skipped");
    assert_eq!(rules[1]["shortDescription"]["text"], "not run");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "note");
    assert_eq!(run["automationDetails"]["id"], "mig/roundtrip/");
    assert_eq!(
        run["originalUriBaseIds"]["PROJECTROOT"]["uri"],
        "file:///srv/my%20app/"
    );
    let first = &run["results"][0];
    assert_eq!(first["ruleId"], "t/residue");
    assert_eq!(first["ruleIndex"], 0);
    assert_eq!(first["level"], "error");
    assert_eq!(
        first["message"]["text"],
        "`r1` downgrade: extra index public.ix\n  definition: a -> b"
    );
    let physical = &first["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "versions/r1.sql");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "PROJECTROOT");
    assert_eq!(physical["region"]["startLine"], 12);
    // A finding that points nowhere has no location at all.
    let second = &run["results"][1];
    assert_eq!(
        (&second["level"], &second["ruleIndex"]),
        (&"note".into(), &1.into())
    );
    assert!(second.get("locations").is_none(), "{second}");
}

#[test]
fn uris_are_encoded_and_files_outside_the_project_are_absolute() {
    let sarif = render(&findings(vec![
        (Level::Error, "a", at("versions/add users.sql", None)),
        (Level::Error, "b", at("/opt/shared/r 1.sql", Some(3))),
        (Level::Error, "c", at("a:b.sql", Some(1))),
    ]));
    let log: Value = serde_json::from_str(&sarif).expect("json");
    let artifact =
        |n: usize| log["runs"][0]["results"][n]["locations"][0]["physicalLocation"].clone();
    assert_eq!(
        artifact(0)["artifactLocation"]["uri"],
        "versions/add%20users.sql"
    );
    // The whole file: no region.
    assert!(artifact(0).get("region").is_none());
    assert_eq!(
        artifact(1)["artifactLocation"]["uri"],
        "file:///opt/shared/r%201.sql"
    );
    assert!(artifact(1)["artifactLocation"].get("uriBaseId").is_none());
    assert_eq!(artifact(2)["artifactLocation"]["uri"], "./a:b.sql");
}
