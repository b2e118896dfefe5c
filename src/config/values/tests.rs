use super::*;

#[test]
fn booleans_like_getboolean() {
    for yes in ["1", "yes", "true", "on", "TRUE", "On", " yes "] {
        assert_eq!(parse_bool(yes), Some(true), "{yes}");
    }
    for no in ["0", "no", "false", "off", "False"] {
        assert_eq!(parse_bool(no), Some(false), "{no}");
    }
    for bad in ["", "y", "2", "enabled"] {
        assert_eq!(parse_bool(bad), None, "{bad}");
    }
}

#[test]
fn durations() {
    assert_eq!(parse_duration("60s"), Some(Duration::from_secs(60)));
    assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
    assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
    assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
    assert_eq!(parse_duration("45"), Some(Duration::from_secs(45)));
    assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
    assert_eq!(parse_duration(" 10 s "), Some(Duration::from_secs(10)));
    assert_eq!(parse_duration("0"), Some(Duration::ZERO));
    for bad in ["", "s", ".", "-1s", "10x", "1.2.3", "ten"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn path_separators_like_alembic() {
    assert_eq!(PathSeparator::parse("os"), Some(PathSeparator::Char(':')));
    assert_eq!(
        PathSeparator::parse("newline"),
        Some(PathSeparator::Char('\n'))
    );
    assert_eq!(PathSeparator::parse("OS"), None);
    assert_eq!(PathSeparator::parse("comma"), None);
    let sep = PathSeparator::Char(':');
    assert_eq!(sep.split("a : b::c"), vec!["a", "b", "c"]);
    assert_eq!(PathSeparator::Char(' ').split("a  b"), vec!["a", "b"]);
    assert_eq!(
        PathSeparator::Char('\n').split("\n/x/a b\n/y"),
        vec!["/x/a b", "/y"]
    );
    assert_eq!(
        PathSeparator::Legacy.split("a, b c,d\ne"),
        vec!["a", "b", "c", "d", "e"]
    );
}

#[test]
fn absolute_paths() {
    let base = Path::new("/proj");
    assert_eq!(
        absolute(base, Path::new("./versions/")),
        PathBuf::from("/proj/versions")
    );
    assert_eq!(
        absolute(base, Path::new("/abs//x/./y")),
        PathBuf::from("/abs/x/y")
    );
    assert_eq!(
        absolute(base, Path::new("../up")),
        PathBuf::from("/proj/../up")
    );
}

#[test]
fn lists() {
    assert_eq!(
        split_list("\ntable public.spatial_ref_sys\n  extension postgis, schema tiger\n"),
        vec![
            "table public.spatial_ref_sys",
            "extension postgis",
            "schema tiger"
        ]
    );
}
