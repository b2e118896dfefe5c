use super::*;
use crate::guard::Marker;

fn protected() -> Protection {
    Protection {
        database: "shop".into(),
        marker: Some(Marker {
            name: "shop".into(),
            reason: Some("live orders".into()),
            protected_by: "ops@host".into(),
            protected_at: "2025-10-18T09:00:00Z".into(),
        }),
        environment: None,
    }
}

fn run(protection: &Protection, given: Confirmation) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(authorize(protection, &given, "reset"))
        .map_err(|e| e.to_string())
}

#[test]
fn flags_without_a_terminal() {
    let open = Protection {
        database: "shop".into(),
        ..Protection::default()
    };
    let yes = Confirmation {
        yes: true,
        ..Confirmation::default()
    };
    let confirm = |name: &str| Confirmation {
        confirm: Some(name.into()),
        ..Confirmation::default()
    };
    assert_eq!(run(&open, yes.clone()), Ok(()));
    assert_eq!(run(&open, confirm("shop")), Ok(()));
    assert_eq!(run(&protected(), confirm("shop")), Ok(()));
    insta::assert_snapshot!(run(&open, Confirmation::default()).unwrap_err(), @"refusing to reset `shop` without confirmation and without a terminal to ask on: pass `--yes` or `--confirm shop`; nothing was changed");
    insta::assert_snapshot!(run(&protected(), yes).unwrap_err(), @"database `shop` is protected (marked by `mig protect` (ops@host, 2025-10-18T09:00:00Z: live orders)): `--yes` is not enough to reset; pass `--confirm shop`; nothing was changed");
    insta::assert_snapshot!(run(&protected(), Confirmation::default()).unwrap_err(), @"database `shop` is protected (marked by `mig protect` (ops@host, 2025-10-18T09:00:00Z: live orders)); without a terminal to confirm on, pass `--confirm shop` to reset; nothing was changed");
    insta::assert_snapshot!(run(&open, confirm("shopp")).unwrap_err(), @"`--confirm shopp` is not the database's name `shop`; nothing was changed");
    let env = Protection {
        database: "shop".into(),
        environment: Some("FLY_APP_NAME=aquarius".into()),
        ..Protection::default()
    };
    insta::assert_snapshot!(run(&env, Confirmation { yes: true, ..Confirmation::default() }).unwrap_err(), @"database `shop` is protected (the environment says production (FLY_APP_NAME=aquarius)): `--yes` is not enough to reset; pass `--confirm shop`; nothing was changed");
}
