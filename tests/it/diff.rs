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
    assert!(String::from_utf8_lossy(&out.stderr).contains("has errors"));
}
