//! Expected values come from Python 3.11's `configparser.ConfigParser({"here": "/proj"})`
//! reading the same text (`/tmp/inicases.py` during development).

use std::collections::BTreeMap;

use insta::assert_snapshot;

use super::*;
use crate::config::interpolate::Defaults;

fn defaults() -> Defaults {
    Defaults::new().with("here", "/proj")
}

fn parse(text: &str) -> Ini {
    Ini::parse(text, "alembic.ini").unwrap_or_else(|e| panic!("{e}"))
}

/// Every own key of `section` with its interpolated value, as Python lists them
/// (without the inherited defaults).
fn values(ini: &Ini, section: &str) -> Vec<(String, String)> {
    ini.own_keys(section)
        .into_iter()
        .map(|k| {
            let value = ini.get(section, k, &defaults()).unwrap().unwrap();
            (k.to_string(), value)
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn parse_err(text: &str) -> String {
    match Ini::parse(text, "alembic.ini") {
        Ok(ini) => panic!("parsed: {ini:?}"),
        Err(e) => e.to_string(),
    }
}

fn get_err(ini: &Ini, section: &str, key: &str, defaults: &Defaults) -> String {
    match ini.get(section, key, defaults) {
        Ok(value) => panic!("got {value:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn keys_delimiters_and_stripping() {
    let ini = parse(
        "[alembic]\nScript_Location = %(here)s/migrations\nkey: colon value\n\
         spaced   =   padded value   \nempty =\nurl = postgresql://u:p@h/db?a=b\n",
    );
    assert_eq!(
        values(&ini, "alembic"),
        pairs(&[
            ("script_location", "/proj/migrations"),
            ("key", "colon value"),
            ("spaced", "padded value"),
            ("empty", ""),
            ("url", "postgresql://u:p@h/db?a=b"),
        ])
    );
    assert_eq!(
        ini.raw("alembic", "SCRIPT_LOCATION"),
        Some("%(here)s/migrations")
    );
    assert_eq!(ini.line("alembic", "key"), Some(3));
}

#[test]
fn multi_line_values_keep_inner_blank_lines_and_skip_comments() {
    let ini = parse(
        "[s]\nlocs =\n    a\n\n    b\n    # a comment\n    ; another\n    c\n\n\nnext = 1\n  indented_after = 2\n",
    );
    assert_eq!(
        values(&ini, "s"),
        pairs(&[("locs", "\na\n\nb\nc"), ("next", "1\nindented_after = 2")])
    );
}

#[test]
fn splits_at_the_first_delimiter() {
    let ini = parse("[s]\na:b = c\nx = y:z=w\n");
    assert_eq!(values(&ini, "s"), pairs(&[("a", "b = c"), ("x", "y:z=w")]));
}

#[test]
fn default_section_is_inherited_and_interpolated_in_the_reading_section() {
    let ini = parse(
        "[DEFAULT]\nroot = /srv\nshared = %(root)s/shared\n[s]\nlocal = %(shared)s/x\n\
         root = /override\n[t]\nlocal = %(shared)s/y\n",
    );
    let d = defaults();
    assert_eq!(
        ini.get("s", "local", &d).unwrap().as_deref(),
        Some("/override/shared/x")
    );
    assert_eq!(
        ini.get("s", "shared", &d).unwrap().as_deref(),
        Some("/override/shared")
    );
    assert_eq!(
        ini.get("t", "local", &d).unwrap().as_deref(),
        Some("/srv/shared/y")
    );
    assert_eq!(ini.get("t", "root", &d).unwrap().as_deref(), Some("/srv"));
    assert_eq!(ini.own_keys("t"), vec!["local"]);
    assert!(!ini.has_section("DEFAULT"));
}

#[test]
fn double_percent_is_a_literal_percent() {
    let ini = parse("[s]\ntemplate = %%(rev)s_%%(slug)s\npct = 100%%\n");
    assert_eq!(
        values(&ini, "s"),
        pairs(&[("template", "%(rev)s_%(slug)s"), ("pct", "100%")])
    );
}

#[test]
fn section_headers() {
    let ini = parse("[a] trailing\nk = 1\n[b]c]\nk = 2\n[DEFAULT]\nd = 1\n[DEFAULT]\ne = 2\n");
    assert_eq!(ini.section_names().collect::<Vec<_>>(), vec!["a", "b]c"]);
    assert_eq!(ini.raw("b]c", "e"), Some("2"));
    assert!(!ini.has_section("A"));
}

#[test]
fn indented_keys_after_a_header_are_keys() {
    let ini = parse("[s]\n  a = 1\n  b = 2\n");
    assert_eq!(values(&ini, "s"), pairs(&[("a", "1"), ("b", "2")]));
}

/// Python reads CRLF the same way; it refuses a UTF-8 byte-order mark (a
/// `MissingSectionHeaderError`), which mig deliberately skips.
#[test]
fn crlf_and_bom_are_accepted() {
    let ini = parse("\u{feff}[s]\r\na = 1\r\nb =\r\n  x\r\n  y\r\n");
    assert_eq!(values(&ini, "s"), pairs(&[("a", "1"), ("b", "\nx\ny")]));
}

#[test]
fn environment_names_match_case_insensitively_preferring_the_written_spelling() {
    let ini = parse(
        "[alembic]\nurl = %(DATABASE_URL)s\nlower = %(database_url)s\nmixed = %(Mixed_Case)s\nhere_ref = %(HERE)s\n",
    );
    let env: BTreeMap<String, String> = [
        ("DATABASE_URL", "postgresql://upper"),
        ("database_url", "postgresql://lower"),
        ("mixed_case", "m"),
        ("HERE", "/not-here"),
        ("PCT", "p%40ss"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let d = defaults().with_env(&env);
    assert_eq!(
        ini.get("alembic", "url", &d).unwrap().as_deref(),
        Some("postgresql://upper")
    );
    assert_eq!(
        ini.get("alembic", "lower", &d).unwrap().as_deref(),
        Some("postgresql://lower")
    );
    assert_eq!(
        ini.get("alembic", "mixed", &d).unwrap().as_deref(),
        Some("m")
    );
    // `here` (an injected default) wins over an environment variable of the same name.
    assert_eq!(
        ini.get("alembic", "here_ref", &d).unwrap().as_deref(),
        Some("/proj")
    );
    // Environment values are literal: no `%%` needed for a percent-encoded password.
    let pct = parse("[s]\nurl = postgresql://u:%(PCT)s@h/db\n");
    assert_eq!(
        pct.get("s", "url", &d).unwrap().as_deref(),
        Some("postgresql://u:p%40ss@h/db")
    );
}

#[test]
fn file_values_win_over_the_environment() {
    let ini = parse("[DEFAULT]\ndatabase_url = sqlite://\n[alembic]\nurl = %(DATABASE_URL)s\n");
    let env = BTreeMap::from([("DATABASE_URL".to_string(), "postgresql://env".to_string())]);
    let d = defaults().with_env(&env);
    assert_eq!(
        ini.get("alembic", "url", &d).unwrap().as_deref(),
        Some("sqlite://")
    );
}

#[test]
fn kept_references_stay_as_written() {
    let ini = parse("[mig]\npk = pk_%(table_name)s_%%(column_0_N_name)s_%(here)s\n");
    let keep = |name: &str| name == "table_name" || name == "column_0_n_name";
    let value = ini.get_keeping("mig", "pk", &defaults(), &keep).unwrap();
    assert_eq!(
        value.as_deref(),
        Some("pk_%(table_name)s_%(column_0_N_name)s_/proj")
    );
}

#[test]
fn interpolation_is_lazy() {
    let ini = parse("[alembic]\nurl = %(DATABASE_URL)s\nok = fine\n[formatter_generic]\nformat = %(levelname)-5.5s\n");
    assert_eq!(
        ini.get("alembic", "ok", &defaults()).unwrap().as_deref(),
        Some("fine")
    );
    assert_eq!(ini.get("alembic", "absent", &defaults()).unwrap(), None);
    assert!(ini.get("alembic", "url", &defaults()).is_err());
}

#[test]
fn recursion_limit_is_ten_levels_like_python() {
    // Python: chain3 (ten values deep) resolves, chain2 (eleven) does not.
    let mut text = String::from("[s]\n");
    for i in 1..=11 {
        text.push_str(&format!("chain{i} = %(chain{})s\n", i + 1));
    }
    text.push_str("chain12 = x%%\n");
    let ini = parse(&text);
    let d = defaults();
    assert_eq!(ini.get("s", "chain3", &d).unwrap().as_deref(), Some("x%"));
    assert_snapshot!(get_err(&ini, "s", "chain2", &d), @"`alembic.ini`: `chain2` in section `[s]` cannot be interpolated in 10 steps (do its `%(...)s` references form a loop?)");
    let looped = parse("[s]\na = %(b)s\nb = %(a)s\n");
    assert!(matches!(
        looped.get("s", "a", &d),
        Err(IniError::RecursionLimit { .. })
    ));
}

#[test]
fn interpolation_errors() {
    let ini = parse(
        "[alembic]\nsqlalchemy.url = %(DATABASE_URL)s\nbad = %(x)d\nopen = %(x\n\
         pct = postgresql://u:p%40ss@h/db\ntrailing = 50%\n",
    );
    let d = defaults();
    assert_snapshot!(get_err(&ini, "alembic", "sqlalchemy.url", &d), @"`alembic.ini`: `sqlalchemy.url` in section `[alembic]` refers to `%(DATABASE_URL)s`, but `database_url` is not an option in `[alembic]` or `[DEFAULT]` and no environment variable `DATABASE_URL` is set; set it in the environment or define `database_url` in the file");
    assert_snapshot!(get_err(&ini, "alembic", "bad", &d), @"`alembic.ini`: `bad` in section `[alembic]`: a `%(` must close as `%(name)s`");
    assert_snapshot!(get_err(&ini, "alembic", "open", &d), @"`alembic.ini`: `open` in section `[alembic]`: a `%(` must close as `%(name)s`");
    let pct = get_err(&ini, "alembic", "pct", &d);
    assert_snapshot!(pct, @"`alembic.ini`: `pct` in section `[alembic]`: `%` must be followed by `%` or `(`; write `%%` for a literal `%` (for example in a percent-encoded password)");
    assert!(!pct.contains("p%40ss"));
    assert!(matches!(
        ini.get("alembic", "trailing", &d),
        Err(IniError::BadInterpolation { .. })
    ));
}

#[test]
fn syntax_errors() {
    assert_snapshot!(parse_err("[a]\nx=1\n[a]\n"), @"`alembic.ini` line 3: section `[a]` already exists");
    assert_snapshot!(parse_err("[a]\nx=1\nX=2\n"), @"`alembic.ini` line 3: option `x` in section `[a]` already exists");
    assert_snapshot!(parse_err("[DEFAULT]\nx=1\n[DEFAULT]\nx=2\n"), @"`alembic.ini` line 4: option `x` in section `[DEFAULT]` already exists");
    assert_snapshot!(parse_err("# comment\nx=1\n"), @"`alembic.ini` line 2: expected a section header such as `[alembic]` before the first option");
    assert_snapshot!(parse_err("[a]\nfoo\nbar\n=1\n"), @"`alembic.ini`: cannot parse line 2 `foo`, line 3 `bar`, line 4 `=1`; expected `key = value`, `key: value`, a `[section]` header or a `#`/`;` comment");
    assert_snapshot!(parse_err("[a]\n[]\n"), @"`alembic.ini`: cannot parse line 2 `[]`; expected `key = value`, `key: value`, a `[section]` header or a `#`/`;` comment");
}

#[test]
fn secrets_stay_out_of_errors_and_debug() {
    let ini = parse("[alembic]\nsqlalchemy.url = postgresql://u:hunter2@h/db\n");
    let debug = format!(
        "{ini:?} {:?}",
        defaults().with_env(&BTreeMap::from([("PGPASSWORD".into(), "hunter2".into())]))
    );
    assert!(!debug.contains("hunter2"), "{debug}");
}

#[test]
fn arbitrary_input_never_panics() {
    let lines = [
        "[a]",
        "[DEFAULT]",
        "[]",
        "[b",
        "k = v",
        "K: %(k)s",
        "  cont",
        "\tx = %(y)s",
        "y=%%",
        "z = %(z)s",
        "# c",
        "; c",
        "",
        "=",
        "%(",
        "p = 50%",
        "é = ü%(é)s",
        "\u{1F600}",
        "q = %(Q)s%%(r)s",
    ];
    let env = BTreeMap::from([("Q".to_string(), "%(q)s".to_string())]);
    let d = defaults().with_env(&env);
    let mut seed: u64 = 7;
    for _ in 0..5_000 {
        let mut text = String::new();
        for _ in 0..8 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let index = usize::try_from(seed >> 33).unwrap_or(0) % lines.len();
            text.push_str(lines[index]);
            text.push('\n');
        }
        if let Ok(ini) = Ini::parse(&text, "fuzz.ini") {
            let names: Vec<String> = ini.section_names().map(str::to_string).collect();
            for section in names.iter().map(String::as_str).chain(["DEFAULT", "none"]) {
                for key in ["k", "x", "y", "z", "p", "é", "q", "absent"] {
                    let _ = ini.get(section, key, &d);
                }
            }
        }
    }
}

/// Ten levels of eight references each: 8^9 lookups for the top value if unbounded.
fn bomb(levels: usize, fan_out: usize) -> String {
    let mut text = String::from("[alembic]\nscript_location = %(x10)s\nx1 = boom\n");
    for level in 2..=levels {
        let refs = format!("%(x{})s", level - 1).repeat(fan_out);
        text.push_str(&format!("x{level} = {refs}\n"));
    }
    text
}

#[test]
fn interpolation_bombs_fail_fast_naming_key_and_line() {
    let ini = parse(&bomb(10, 8));
    let err = ini
        .get("alembic", "script_location", &defaults())
        .unwrap_err();
    assert!(matches!(err, IniError::TooLarge { line: 2, .. }), "{err:?}");
    assert_snapshot!(err.to_string(), @"`alembic.ini` line 2: `script_location` in section `[alembic]` expands to more than 10000 `%(...)s` references or 1048576 bytes; refusing to interpolate it (nested references that multiply, an interpolation bomb?)");
    // A wide but shallow value within the bounds still resolves like Python.
    let fine = parse(&bomb(4, 8));
    let value = fine.get("alembic", "x4", &defaults()).unwrap().unwrap();
    assert_eq!(value.len(), "boom".len() * 8 * 8 * 8);
}
