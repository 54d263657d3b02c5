//! The formatter keeps meaning and comments, and is idempotent, on every example and
//! every fixture that parses; and the layout cases of `tests/fmt/` (an input each, its
//! formatted output snapshotted) hold the same promises.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn comments(text: &str) -> Vec<String> {
    let mut d = Vec::new();
    let lexed = xlic::syntax::lexer::lex(xlic::source::FileId(0), text, &mut d);
    lexed
        .comments
        .iter()
        .map(|c| {
            text.get(c.span.range())
                .unwrap_or("")
                .trim_end()
                .to_string()
        })
        .collect()
}

fn policy_json(name: &str, text: &str) -> Option<String> {
    let c = xlic::compile_text(name, text);
    if c.has_errors() {
        return None;
    }
    // The meaning, not the text: the manifest's digests of the source differ by design.
    let mut policy = xlic::emit::json::policy(&c.model, &c.sources);
    policy.manifest = None;
    Some(xlic::emit::json::to_json(&policy))
}

#[test]
fn formatting_is_idempotent_and_keeps_comments() {
    let mut formatted = 0;
    for path in crate::common::xlic_corpus() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(once) = xlic::fmt::format_source(&text) else {
            continue;
        };
        let twice = xlic::fmt::format_source(&once).unwrap_or_default();
        assert_eq!(
            once,
            twice,
            "formatting {} twice changes it",
            path.display()
        );
        assert_eq!(
            comments(&text),
            comments(&once),
            "comments of {} changed",
            path.display()
        );
        formatted += 1;
    }
    assert!(formatted > 50, "only {formatted} files were formatted");
}

#[test]
fn formatting_keeps_the_meaning() {
    let mut compared = 0;
    for path in crate::common::xlic_corpus() {
        // Multi-file cases resolve imports relative to their folder; judge single files.
        if path
            .parent()
            .is_some_and(|p| p.extension().is_some_and(|e| e == "d"))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(out) = xlic::fmt::format_source(&text) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let before = xlic::compile_text(&name, &text);
        let after = xlic::compile_text(&name, &out);
        let codes =
            |c: &xlic::Compilation| c.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(
            codes(&before),
            codes(&after),
            "diagnostics of {} changed",
            path.display()
        );
        if let (Some(a), Some(b)) = (policy_json(&name, &text), policy_json(&name, &out)) {
            // Source locations move with the layout; everything else must not.
            let strip = |s: &str| -> serde_json::Value {
                let mut v: serde_json::Value = serde_json::from_str(s).unwrap_or_default();
                strip_sources(&mut v);
                v
            };
            assert_eq!(
                strip(&a),
                strip(&b),
                "the policy of {} changed",
                path.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 30, "only {compared} policies compared");
}

fn strip_sources(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("source");
            for x in map.values_mut() {
                strip_sources(x);
            }
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(strip_sources),
        _ => {}
    }
}

/// The diagnostic codes of a text, compiled on its own.
fn codes(name: &str, text: &str) -> Vec<String> {
    let c = xlic::compile_text(name, text);
    c.diagnostics.iter().map(|d| d.code.to_string()).collect()
}

/// Every `tests/fmt/*.xlic` is formatted; the output is snapshotted, ends with a line
/// break, and formatting is idempotent on it and keeps its comments and diagnostics.
#[test]
fn fmt_cases() {
    insta::glob!("../fmt", "*.xlic", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let out = xlic::fmt::format_source(&text)
            .unwrap_or_else(|e| panic!("{name} does not format: {e:?}"));
        assert!(out.ends_with('\n'), "{name}: no final line break");
        assert_eq!(
            xlic::fmt::format_source(&out).ok().as_deref(),
            Some(out.as_str()),
            "{name}: formatting twice changes it"
        );
        assert_eq!(comments(&text), comments(&out), "{name}: comments changed");
        assert_eq!(
            codes(&name, &text),
            codes(&name, &out),
            "{name}: diagnostics changed"
        );
        insta::assert_snapshot!(out);
    });
}

#[test]
fn examples_are_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    crate::common::xlic_files(&root.join("examples"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let out = xlic::fmt::format_source(&text).unwrap_or_default();
        assert!(
            out == text,
            "{} is not formatted: run `xlic fmt examples`",
            path.display()
        );
    }
}

#[test]
fn fmt_check_reports_files_that_would_change() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let messy = dir.path().join("messy.xlic");
    std::fs::write(
        &messy,
        "agreement \"A\" { effective 2026-01-01 }\nparty a \"A\" party b \"B\"\n",
    )
    .unwrap_or_default();
    let bin = env!("CARGO_BIN_EXE_xlic");
    let check = std::process::Command::new(bin)
        .args(["fmt", "--check"])
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("would reformat"));
    let fix = std::process::Command::new(bin)
        .arg("fmt")
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fix.status.code(), Some(0));
    let again = std::process::Command::new(bin)
        .args(["fmt", "--check"])
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.status.code(), Some(0));
    let broken = dir.path().join("broken.xlic");
    std::fs::write(&broken, "grant {").unwrap_or_default();
    let bad = std::process::Command::new(bin)
        .arg("fmt")
        .arg(&broken)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap_or_default(),
        "grant {",
        "a broken file must be left alone"
    );
}
