//! The fix runner: every `tests/fixtures/fixes/CODE_*.xlic` has diagnostics with fixes
//! (`Diagnostic::fixes`, what the language server offers as quick fixes and SARIF as
//! `fixes`). The first fix of every diagnostic is applied; the fixed source is
//! snapshotted, must compile without errors, and must no longer report what was fixed,
//! nor anything new. (The same files are also ordinary fixtures: `fixtures` snapshots
//! their diagnostics.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::Path;
use xlic::diagnostics::{Code, TextEdit};
use xlic::Input;

/// How many diagnostics of each code.
fn counts(c: &xlic::Compilation) -> BTreeMap<Code, usize> {
    let mut out = BTreeMap::new();
    for d in &c.diagnostics {
        *out.entry(d.code).or_insert(0) += 1;
    }
    out
}

/// Applies non-overlapping edits to a text.
fn apply(text: &str, mut edits: Vec<TextEdit>, name: &str) -> String {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in edits.windows(2) {
        assert!(
            pair[0].span.end <= pair[1].span.start,
            "{name}: fixes overlap: {pair:?}"
        );
    }
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.span.range(), &e.new_text);
    }
    out
}

#[test]
fn fixes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("../fixtures/fixes", "*.xlic", |path| {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let name = rel.display().to_string();
        let before = xlic::compile(&[Input::Path(rel.clone())], &xlic::Options::default()).unwrap();
        let file = before.sources.files()[0].id;
        let text = before.sources.text(file).to_string();

        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = stem.split('_').next().unwrap_or("");
        let mut fixed_codes: BTreeMap<Code, usize> = BTreeMap::new();
        let mut edits = Vec::new();
        for d in &before.diagnostics {
            if d.fixes.is_empty() {
                continue;
            }
            *fixed_codes.entry(d.code).or_insert(0) += 1;
            // The first fix of each diagnostic (the one an editor applies on save).
            for e in &d.fixes[0].edits {
                assert_eq!(e.span.file, file, "{name}: a fix edits another file");
                edits.push(e.clone());
            }
        }
        assert!(
            fixed_codes.keys().any(|c| c.as_str() == code),
            "{name}: no fix for {code}; fixes for {fixed_codes:?}"
        );
        let fixed = apply(&text, edits, &name);

        let after = xlic::compile_text(&name, &fixed);
        let shown =
            xlic::diagnostics::render::render_human(&after.diagnostics, &after.sources, false);
        assert_eq!(
            after.error_count(),
            0,
            "{name}: errors after the fix:\n{shown}"
        );
        let (was, now) = (counts(&before), counts(&after));
        for (code, n) in &now {
            let had = was.get(code).copied().unwrap_or(0);
            assert!(*n <= had, "{name}: the fix brought {code}:\n{shown}");
            let fixed = fixed_codes.get(code).copied().unwrap_or(0);
            assert!(
                *n <= had - fixed,
                "{name}: {code} is still reported after its fix:\n{shown}"
            );
        }
        insta::assert_snapshot!(fixed);
    });
}

/// The command line compiles with `outputs_only` (the trees are freed after resolution,
/// no bindings are recorded): the diagnostics and their fixes must be the same as with
/// the trees kept.
#[test]
fn fixes_survive_freeing_the_trees() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fixes");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlic"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let inputs = [Input::Path(path.clone())];
        let kept = xlic::compile(&inputs, &xlic::Options::default()).unwrap();
        let dropped = xlic::Options {
            outputs_only: true,
            ..xlic::Options::default()
        };
        let dropped = xlic::compile(&inputs, &dropped).unwrap();
        assert!(!kept.files.is_empty() && dropped.files.is_empty());
        assert!(dropped.bindings.all().is_empty() && dropped.bindings.places().is_empty());
        assert_eq!(format!("{:?}", kept.model), format!("{:?}", dropped.model));
        assert!(kept.diagnostics.iter().any(|d| !d.fixes.is_empty()));
        assert_eq!(
            format!("{:?}", kept.diagnostics),
            format!("{:?}", dropped.diagnostics),
            "{}: diagnostics differ when the trees are freed",
            path.display()
        );
    }
}
