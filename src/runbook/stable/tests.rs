use super::*;

#[test]
fn major_versions() {
    assert_eq!(
        major_version("PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2)"),
        "PostgreSQL 16"
    );
    assert_eq!(major_version("SQLite 3.46.0"), "SQLite 3");
    assert_eq!(major_version("PostgreSQL 17beta1"), "PostgreSQL 17");
}

#[test]
fn scrubbing() {
    let tmp = std::env::temp_dir().display().to_string();
    let tmp = tmp.trim_end_matches('/');
    let s = Scrubber::new(Path::new("/work/proj"), vec!["s3cret".into()], true);
    let text = format!(
        "`/work/proj/versions/a.sql` postgresql://u:s3cret@h/db {tmp}/mig-pg-1 {}%2Fmig-pg-1",
        tmp.replace('/', "%2F")
    );
    assert_eq!(
        s.apply(&text),
        "`versions/a.sql` postgresql://u:***@h/db $TMPDIR/mig-pg-1 $TMPDIR%2Fmig-pg-1"
    );
    let unstable = Scrubber::new(Path::new("/work/proj"), vec![], false);
    assert!(unstable.apply(&format!("{tmp}/x")).contains(tmp));
}
