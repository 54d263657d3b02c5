//! `xlic diff`: each amendment in tests/diff/ against tests/diff/base.xlic reports what a
//! reviewer must see — and a mere reordering reports nothing. A new case is a new file
//! whose leading comments say what it must report (see `diff_cases`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn run(new: &str, format: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "diff",
            "tests/diff/base.xlic",
            &format!("tests/diff/{new}.xlic"),
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The (party, kind, clause) of every change, from the JSON format.
fn kinds(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["party"].as_str().unwrap_or("-"),
                c["kind"].as_str().unwrap(),
                c["clause"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// The directives of a case: `// expect: PARTY KIND CLAUSE|-` (every change, in
/// order; `// expect: none` for none), `// text: …` and `// markdown: …` (a line that
/// output must contain).
fn directives<'a>(source: &'a str, name: &str) -> Vec<&'a str> {
    source
        .lines()
        .filter_map(|l| l.strip_prefix("// "))
        .filter_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
        .collect()
}

/// Every `tests/diff/*.xlic` is compared with `tests/diff/base.xlic` (base itself too)
/// and must report exactly the changes its `expect` directives list, exit 1 when there
/// are any (0 when none), and contain its `text` and `markdown` lines; the text and
/// Markdown redlines are snapshotted.
#[test]
fn diff_cases() {
    insta::glob!("../diff", "*.xlic", |path| {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path).unwrap();
        let expected: Vec<&str> = directives(&source, "expect")
            .into_iter()
            .filter(|e| *e != "none")
            .collect();
        assert!(
            !directives(&source, "expect").is_empty(),
            "{name}: no `// expect:` line"
        );
        let (code, json) = run(&name, "json");
        assert_eq!(kinds(&json), expected, "{name}: the changes");
        let (text_code, text) = run(&name, "text");
        let (_, markdown) = run(&name, "markdown");
        let want_code = if expected.is_empty() { 0 } else { 1 };
        assert_eq!(
            (code, text_code),
            (Some(want_code), Some(want_code)),
            "{name}"
        );
        for line in directives(&source, "text") {
            assert!(text.contains(line), "{name}: no `{line}` in:\n{text}");
        }
        for line in directives(&source, "markdown") {
            assert!(
                markdown.contains(line),
                "{name}: no `{line}` in:\n{markdown}"
            );
        }
        insta::assert_snapshot!(format!(
            "exit code {want_code}\n---- text ----\n{text}---- markdown ----\n{markdown}"
        ));
    });
}

/// A version with errors: the diagnostics on stderr, the redline of what resolves on
/// stdout, marked, and exit 2.
#[test]
fn errors_in_either_version_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.xlic");
    std::fs::write(&bad, "grant {").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["diff", "tests/diff/base.xlic"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a name"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("warning: NEW has 1 error; the comparison may be incomplete\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- removed: grant `acme_to_globex`"),
        "{stdout}"
    );
}

/// Every `.xlic` file of the tests and examples (and every multi-file fixture folder)
/// that compiles without errors, as a policy compared with itself: no change. Counted,
/// so the test cannot pass on an empty list.
#[test]
fn every_policy_compared_with_itself_has_no_change() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if p.extension().is_some_and(|e| e == "d") {
                    out.push(p.clone());
                }
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xlic") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    walk(&root.join("tests"), &mut inputs);
    walk(&root.join("examples"), &mut inputs);
    inputs.push(root.join("tests/report"));
    let mut compared = 0;
    for path in inputs {
        let Ok(c) = xlic::compile(
            &[xlic::Input::Path(path.clone())],
            &xlic::Options::default(),
        ) else {
            continue;
        };
        if c.has_errors() {
            continue;
        }
        let policy = xlic::policy::build(&c.model, &c.ledger, &c.sources);
        let redline = xlic::diff::diff(&policy, &policy)
            .unwrap_or_else(|e| panic!("{}: the policy does not read back: {e}", path.display()));
        assert!(
            redline.is_empty(),
            "{} differs from itself:\n{}",
            path.display(),
            xlic::diff::render_text(&redline)
        );
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} policies compared");
}

/// The fuzzer's regression (fuzz/regressions/generated/diff-of-an-empty-term-is-not-empty,
/// docs/robustness.md): a grant `until expiry` whose every patent expires before the
/// grant starts has an inverted term in the policy and licenses nothing; compared with
/// itself it has no change, and against a version without it no right is lost.
#[test]
fn a_grant_until_an_expiry_before_its_start_licenses_nothing() {
    let head = r#"
agreement "Inverted" { effective 2031-12-23 term 10 years }
party p0 "P0"
party p1 "P1"
fields { a }
asset x0: patent family of p0 { patent "US 1234" expires 2030-12-03 }
"#;
    let grant = "grant g0: p0 -> p1 {\n  assets x0\n  field a\n  territory [US]\n  term until expiry\n  non-exclusive\n}\n";
    let with = xlic::compile_text("with.xlic", &format!("{head}{grant}"));
    let without = xlic::compile_text("without.xlic", head);
    assert!(!with.has_errors() && !without.has_errors());
    let policy = |c: &xlic::Compilation| xlic::policy::build(&c.model, &c.ledger, &c.sources);
    let (p, q) = (policy(&with), policy(&without));
    let term = &p.agreements[0].grants[0].term;
    assert!(
        term.end.is_some_and(|e| e <= term.start),
        "the term is not inverted: {term:?}"
    );
    assert!(xlic::diff::diff(&p, &p).unwrap().is_empty());
    let kinds: Vec<String> = xlic::diff::diff(&p, &q)
        .unwrap()
        .changes
        .iter()
        .map(|c| format!("{:?}", c.kind))
        .collect();
    // The grant is gone and its parties leave the agreement; no right is lost.
    assert_eq!(kinds, ["AgreementChanged", "ClauseRemoved"]);
}
