use super::*;

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
        postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n";

#[test]
fn lookup_reads_uid_and_gid() {
    assert_eq!(
        lookup(PASSWD, "postgres"),
        Some(RunAs {
            name: "postgres".into(),
            uid: 101,
            gid: 104
        })
    );
    assert_eq!(lookup(PASSWD, "nobody").map(|user| user.uid), Some(65534));
    assert_eq!(lookup(PASSWD, "mig"), None);
}

#[test]
fn lookup_never_returns_root() {
    assert_eq!(lookup(PASSWD, "root"), None);
    assert_eq!(lookup("broken:x:notanumber:1::", "broken"), None);
}
