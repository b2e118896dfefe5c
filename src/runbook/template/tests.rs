use super::*;

#[test]
fn builtin_uses_every_placeholder_once() {
    let template = Template::builtin();
    for name in PLACEHOLDERS {
        assert_eq!(
            BUILTIN.matches(&format!("{{{{{name}}}}}")).count(),
            1,
            "{name}"
        );
    }
    let out = template.render(&|name| format!("<{name}>\n"));
    assert!(
        out.starts_with("# Migrations runbook: <project>\n"),
        "{out}"
    );
    assert!(!out.contains("{{"));
}

#[test]
fn substitution_and_refusals() {
    let t = Template::parse("a {{ project }} b {{dod}}", "t.tmpl").unwrap();
    assert_eq!(t.render(&|n| n.to_uppercase()), "a PROJECT b DOD");
    insta::assert_snapshot!(
        Template::parse("x\n\n{{prefligth}}", "t.tmpl").unwrap_err(),
        @"`t.tmpl` line 3: unknown placeholder `{{prefligth}}`; known: project, legend, header, summary, preflight, connection, steps, states, roundtrip, constraints, seeds, dod, reproduce"
    );
    insta::assert_snapshot!(
        Template::parse("{{dod}}\n{{dod", "t.tmpl").unwrap_err(),
        @"`t.tmpl` line 2: `{{` without a closing `}}`"
    );
}

#[test]
fn a_project_template_wins() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        Template::for_project(dir.path()).unwrap().source,
        "built-in"
    );
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join(PROJECT_TEMPLATE), "# {{project}}\n").unwrap();
    let t = Template::for_project(dir.path()).unwrap();
    assert_eq!(t.render(&|_| "demo".into()), "# demo\n");
    assert!(t.source.ends_with("templates/runbook.md.tmpl"));
}
