//! The fixture runner: every `tests/fixtures/<stage>/{ok,err}/*.xlic` is compiled and
//! snapshotted (source, then the rendered diagnostics). A new test is a new file.
//!
//! - files under `ok/` must compile with no diagnostics at all;
//! - files under `err/` are named after the code they must produce
//!   (`E0101_unknown_party.xlic`), and must produce it;
//! - a folder `NAME.d/` is one multi-file case: its `main.xlic` stands for the folder,
//!   which is checked as a whole (as `xlic check NAME.d/` would).

use std::path::{Path, PathBuf};
use xlic::diagnostics::render;
use xlic::Input;

fn case_name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Compiles one fixture the way `xlic check` would, with paths relative to the package.
fn run(path: &Path) -> Option<(String, xlic::Compilation)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parent = path.parent()?;
    let multi = parent.extension().is_some_and(|e| e == "d");
    if multi && path.file_name()? != "main.xlic" {
        return None;
    }
    let target: PathBuf = if multi {
        parent.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let rel = target.strip_prefix(root).unwrap_or(&target).to_path_buf();
    let compilation = xlic::compile(&[Input::Path(rel)], &xlic::Options::default()).ok()?;
    let mut shown = String::new();
    for f in compilation.sources.files() {
        shown.push_str(&format!("==== {} ====\n{}\n", f.name, f.text));
    }
    Some((shown, compilation))
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures", "**/*.xlic", |path| {
        let Some((source, compilation)) = run(path) else {
            return;
        };
        let name = case_name(path);
        let diags = render::render_human(&compilation.diagnostics, &compilation.sources, false);
        // Every diagnostic about clauses (conflicts, drafting policy) names the clause
        // it is about, as user input in backticks (issue 13, item 11).
        for d in &compilation.diagnostics {
            use xlic::diagnostics::Family;
            if matches!(d.code.family(), Family::Conflict | Family::Policy) {
                assert!(
                    d.message.contains('`'),
                    "{name}: {} does not name its clause: {}",
                    d.code,
                    d.message
                );
            }
        }
        let expect_ok = name.contains("/ok/");
        if expect_ok {
            assert!(
                compilation.diagnostics.is_empty(),
                "{name} should check clean:\n{diags}"
            );
        } else {
            let file = if path
                .parent()
                .is_some_and(|p| p.extension().is_some_and(|e| e == "d"))
            {
                path.parent().and_then(|p| p.file_name())
            } else {
                path.file_name()
            };
            let stem = file
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let code = stem.split('_').next().unwrap_or("").to_string();
            assert!(
                compilation
                    .diagnostics
                    .iter()
                    .any(|d| d.code.as_str() == code),
                "{name} should report {code}, got:\n{diags}"
            );
        }
        insta::assert_snapshot!(format!("{source}---- diagnostics ----\n{diags}"));
    });
}

/// Codes whose rule is not implemented yet (the conflict checker's), and codes proven by
/// a dedicated test instead of a fixture file, with the test that proves them.
const PENDING: &[&str] = &[];
const PROVEN_ELSEWHERE: &[(&str, &str)] =
    &[("E0007", "tests/it/robustness.rs: oversized_file_is_refused")];

#[test]
fn every_code_has_a_failing_fixture_and_an_explanation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            if p.to_string_lossy().contains("/err/") {
                if let Some(n) = p.file_name() {
                    names.push(n.to_string_lossy().into_owned());
                }
            }
        }
    }
    let mut missing = Vec::new();
    for info in xlic::diagnostics::codes::ALL {
        assert!(
            info.explanation.contains("Wrong:") && info.explanation.contains("Fixed:"),
            "{} lacks examples",
            info.code
        );
        if PENDING.contains(&info.code.as_str())
            || PROVEN_ELSEWHERE
                .iter()
                .any(|(c, _)| *c == info.code.as_str())
        {
            continue;
        }
        if !names
            .iter()
            .any(|n| n.starts_with(&format!("{}_", info.code)))
        {
            missing.push(info.code);
        }
    }
    assert!(
        missing.is_empty(),
        "codes with no failing fixture: {missing:?}"
    );
}
