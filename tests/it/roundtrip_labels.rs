//! How the roundtrip's text report labels what it found, through the binary: naming
//! violations as `violations` (not residue), each finding line naming its check once.

use crate::runbook::fixture;
use crate::support::Mig;

#[test]
fn naming_violations_are_labelled_as_such_and_check_names_appear_once() {
    // A SQLite project whose downgrade leaves a table and whose primary key breaks
    // `naming_convention.pk`.
    let mig = Mig::new(fixture("broken"));
    let run = mig.with(["roundtrip"]).run().redacted();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let range = &run.stdout[run.stdout.find("whole range").expect("whole range")..];
    insta::assert_snapshot!(range, @r"
    whole range
      downgrade to start  residue [DURATION]
        downgrade to start: extra table audit_log
      upgrade to end      ok [DURATION]
      naming conventions  violations [DURATION]
        naming conventions: constraint items.items_pkey: `items_pkey`, expected `pk_items` (naming_convention.pk = pk_%(table_name)s)

    roundtrip residue: 3 findings; revisions: 1 ok, 1 residue, 0 failed, 0 skipped ([DURATION])
    ");
    let json = mig.with(["--format", "json", "roundtrip"]).run();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let naming = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "naming")
        .expect("a naming check");
    assert_eq!(naming["status"], "violations");
    let junit = mig.with(["--format", "junit", "roundtrip"]).run();
    assert!(
        junit
            .stdout
            .contains("<testcase classname=\"mig.roundtrip.range\" name=\"naming conventions\"")
            && junit
                .stdout
                .contains("<failure type=\"violations\" message=\"constraint items.items_pkey"),
        "{}",
        junit.stdout
    );
}
